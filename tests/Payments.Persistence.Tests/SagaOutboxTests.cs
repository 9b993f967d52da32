using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Persistence.Outbox;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests;

[Trait("Category", "PostgreSQL")]
public sealed class SagaOutboxTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private OutboxTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        _host = await OutboxTestHost.StartAsync(database);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Saga_state_and_its_published_message_commit_together_and_the_message_is_delivered()
    {
        var messageId = NewId.NextGuid();

        var sagaId = await _host.StartSaga("ref-start", messageId);

        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal("Active", saga.CurrentState);
        Assert.Equal(1, saga.Starts);
        await Eventually.Until(() => _host.Query(db => db.Set<InboxState>().AnyAsync(x => x.MessageId == messageId && x.Delivered != null)),
            "the inbox row is marked delivered");
        var inbox = await _host.Query(db => db.Set<InboxState>().SingleAsync(x => x.MessageId == messageId));
        Assert.NotNull(inbox.Consumed);
        Assert.Equal(1, inbox.ReceiveCount);
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxMessageId == messageId)));
    }

    [Fact]
    public async Task Saga_that_throws_after_publishing_saves_nothing_and_publishes_nothing()
    {
        var sagaId = await _host.StartSaga("ref-fail");
        var failingMessageId = NewId.NextGuid();

        await _host.Send(new FailAfterPublishing(sagaId), failingMessageId);

        Assert.True(await _host.Harness.Published.Any<Fault<FailAfterPublishing>>(x => x.Context.Message.Message.CorrelationId == sagaId,
            TestContext.Current.CancellationToken));
        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal(0, saga.Counter);
        Assert.False(await _host.Query(db => db.Set<InboxState>().AnyAsync(x => x.MessageId == failingMessageId)));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
        await _host.Harness.InactivityTask;
        Assert.DoesNotContain(_host.Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId);
    }

    [Fact]
    public async Task Consumer_that_throws_after_publishing_saves_nothing_and_publishes_nothing()
    {
        var recorded = NewId.NextGuid();
        var failed = NewId.NextGuid();

        await _host.Send(new RecordLedgerEntry(failed, 10m, FailAfterPublishing: true));
        await _host.Send(new RecordLedgerEntry(recorded, 20m, FailAfterPublishing: false));

        await _host.Deliveries.WaitFor(log => log.Of<LedgerEntryRecorded>().Any(x => x.Id == recorded), "the ledger entry was announced");
        Assert.True(await _host.Harness.Published.Any<Fault<RecordLedgerEntry>>(x => x.Context.Message.Message.Id == failed,
            TestContext.Current.CancellationToken));
        await _host.Harness.InactivityTask;

        var ledger = await _host.Query(db => db.Ledger.ToListAsync());
        Assert.Equal(recorded, Assert.Single(ledger).Id);
        Assert.DoesNotContain(_host.Deliveries.Of<LedgerEntryRecorded>(), x => x.Id == failed);
    }

    [Fact]
    public async Task Redelivered_message_has_one_effect()
    {
        var sagaId = await _host.StartSaga("ref-redelivered");
        var messageId = NewId.NextGuid();

        await _host.Send(new IncrementTestSaga(sagaId, 5), messageId);
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId), "the increment was announced");

        // The same message again: once after the first completed, then twice at the same time.
        await _host.Send(new IncrementTestSaga(sagaId, 5), messageId);
        await Task.WhenAll(_host.Send(new IncrementTestSaga(sagaId, 5), messageId), _host.Send(new IncrementTestSaga(sagaId, 5), messageId));

        await Eventually.Until(() => _host.Query(db => db.Set<InboxState>().AnyAsync(x => x.MessageId == messageId && x.ReceiveCount == 4)),
            "all four deliveries reached the inbox");
        await _host.Harness.InactivityTask;
        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal(5, saga.Counter);
        Assert.Single(_host.Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId);
    }

    [Fact]
    public async Task Two_messages_racing_for_one_saga_instance_are_both_applied()
    {
        var sagaId = await _host.StartSaga("ref-race");

        _host.RaceGate.Expect(2);
        await Task.WhenAll(_host.Send(new IncrementTestSaga(sagaId, 1)), _host.Send(new IncrementTestSaga(sagaId, 10)));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Count(x => x.CorrelationId == sagaId) == 2, "both increments were announced");
        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal(11, saga.Counter);
        // Both loaded the same version; the loser's retry loaded the winner's version and went through the gate again.
        Assert.Equal(3, _host.RaceGate.Arrivals);
        Assert.Contains(_host.Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId && x.Counter == 11);
        // Under the outbox the saga ran inside the consume transaction.
        Assert.All(_host.TransactionProbe.InTransaction, Assert.True);
    }

    [Fact]
    public async Task Two_messages_creating_the_same_instance_at_once_end_with_one_instance()
    {
        var sagaId = NewId.NextGuid();

        _host.RaceGate.Expect(2);
        await Task.WhenAll(_host.Send(new StartTestSaga(sagaId, "ref-create")), _host.Send(new StartTestSaga(sagaId, "ref-create")));

        // The loser's insert hit the primary key; its retry found the instance and counted a second start.
        await Eventually.Until(() => _host.Query(db => db.Sagas.AnyAsync(x => x.CorrelationId == sagaId && x.Starts == 2)),
            "the second start was applied to the one instance");
        await _host.Harness.InactivityTask;
        Assert.Equal(1, await _host.Query(db => db.Sagas.CountAsync(x => x.CorrelationId == sagaId)));
        Assert.Equal(2, _host.RaceGate.Arrivals);
        Assert.Single(_host.Deliveries.Of<TestSagaStarted>(), x => x.CorrelationId == sagaId);
        Assert.False(await _host.Harness.Published.Any<Fault<StartTestSaga>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Two_messages_pre_inserting_the_same_instance_at_once_end_with_one_instance()
    {
        var sagaId = NewId.NextGuid();

        _host.RaceGate.Expect(1);
        await Task.WhenAll(_host.Send(new StartTestSagaWithInsert(sagaId, "ref-insert")),
            _host.Send(new StartTestSagaWithInsert(sagaId, "ref-insert")));

        // InsertOnInitial: the loser's insert fails inside the consume transaction; it then loads the winner's instance.
        await Eventually.Until(() => _host.Query(db => db.Sagas.AnyAsync(x => x.CorrelationId == sagaId && x.Starts == 2)),
            "the second start was applied to the one instance");
        await _host.Harness.InactivityTask;
        Assert.Equal(1, await _host.Query(db => db.Sagas.CountAsync(x => x.CorrelationId == sagaId)));
        Assert.Single(_host.Deliveries.Of<TestSagaStarted>(), x => x.CorrelationId == sagaId);
        Assert.False(await _host.Harness.Published.Any<Fault<StartTestSagaWithInsert>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Event_correlated_by_expression_finds_its_instance()
    {
        var sagaId = await _host.StartSaga("ref-by-reference");

        await _host.Send(new IncrementTestSagaByReference("ref-by-reference", 7));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId && x.Counter == 7),
            "the increment by reference was announced");
        Assert.Equal(7, (await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId))).Counter);
    }

    [Fact]
    public async Task Load_and_query_repositories_read_saga_state()
    {
        var sagaId = await _host.StartSaga("ref-load");
        var loadRepository = _host.Services.GetRequiredService<ILoadSagaRepository<TestSagaState>>();
        var queryRepository = _host.Services.GetRequiredService<IQuerySagaRepository<TestSagaState>>();

        var loaded = await loadRepository.Load(sagaId);
        var found = await queryRepository.Find(new ExpressionSagaQuery<TestSagaState>(x => x.Reference == "ref-load"));

        Assert.Equal("ref-load", loaded.Reference);
        Assert.Equal(sagaId, Assert.Single(found));
        Assert.Null(await loadRepository.Load(NewId.NextGuid()));
    }
}
