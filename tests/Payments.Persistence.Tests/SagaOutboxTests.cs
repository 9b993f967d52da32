using MassTransit;
using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Outbox;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Payments.Persistence.Tests;

[Trait("Category", "PostgreSQL")]
public sealed class SagaOutboxTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    OutboxTestHost _host = null!;

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
        var sagaId = NewId.NextGuid();

        await _host.Send(new StartTestSaga(sagaId, "ref-start"));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);
        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal("Active", saga.CurrentState);
        Assert.Equal(1, saga.Starts);

        var inbox = await _host.Query(db => db.Set<InboxState>().SingleAsync());
        Assert.NotNull(inbox.Consumed);
        Assert.NotNull(inbox.Delivered);
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
    }

    [Fact]
    public async Task Saga_that_throws_after_publishing_saves_nothing_and_publishes_nothing()
    {
        var sagaId = NewId.NextGuid();
        await _host.Send(new StartTestSaga(sagaId, "ref-fail"));
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);

        var failingMessageId = NewId.NextGuid();
        await _host.Send(new FailAfterPublishing(sagaId), failingMessageId);

        Assert.True(await _host.Harness.Published.Any<Fault<FailAfterPublishing>>(x => x.Context.Message.Message.CorrelationId == sagaId,
            TestContext.Current.CancellationToken));
        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal(0, saga.Counter);
        Assert.False(await _host.Query(db => db.Set<InboxState>().AnyAsync(x => x.MessageId == failingMessageId)));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
        Assert.DoesNotContain(_host.Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId);
    }

    [Fact]
    public async Task Consumer_that_throws_after_publishing_saves_nothing_and_publishes_nothing()
    {
        var recorded = NewId.NextGuid();
        var failed = NewId.NextGuid();

        await _host.Send(new RecordLedgerEntry(failed, 10m, FailAfterPublishing: true));
        await _host.Send(new RecordLedgerEntry(recorded, 20m, FailAfterPublishing: false));

        await _host.Deliveries.WaitFor(log => log.Of<LedgerEntryRecorded>().Any(x => x.Id == recorded), Timeout);
        Assert.True(await _host.Harness.Published.Any<Fault<RecordLedgerEntry>>(x => x.Context.Message.Message.Id == failed,
            TestContext.Current.CancellationToken));

        var ledger = await _host.Query(db => db.Ledger.ToListAsync());
        Assert.Equal(recorded, Assert.Single(ledger).Id);
        Assert.DoesNotContain(_host.Deliveries.Of<LedgerEntryRecorded>(), x => x.Id == failed);
    }

    [Fact]
    public async Task Redelivered_message_has_one_effect()
    {
        var sagaId = NewId.NextGuid();
        await _host.Send(new StartTestSaga(sagaId, "ref-redelivered"));
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);

        var messageId = NewId.NextGuid();
        await _host.Send(new IncrementTestSaga(sagaId, 5), messageId);
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId), Timeout);

        // The same message again, once after the first completed and twice at the same time.
        await _host.Send(new IncrementTestSaga(sagaId, 5), messageId);
        await Task.WhenAll(_host.Send(new IncrementTestSaga(sagaId, 5), messageId), _host.Send(new IncrementTestSaga(sagaId, 5), messageId));
        await WaitUntilConsumed<IncrementTestSaga>(count: 4);

        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal(5, saga.Counter);
        Assert.Single(_host.Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId);
        var inbox = await _host.Query(db => db.Set<InboxState>().SingleAsync(x => x.MessageId == messageId));
        Assert.Equal(4, inbox.ReceiveCount);
    }

    [Fact]
    public async Task Two_messages_racing_for_one_saga_instance_are_both_applied()
    {
        var sagaId = NewId.NextGuid();
        await _host.Send(new StartTestSaga(sagaId, "ref-race"));
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);

        _host.RaceGate.Expect(2);
        await Task.WhenAll(_host.Send(new IncrementTestSaga(sagaId, 1)), _host.Send(new IncrementTestSaga(sagaId, 10)));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Count(x => x.CorrelationId == sagaId) == 2, Timeout);
        var saga = await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId));
        Assert.Equal(11, saga.Counter);
        // Both loaded the same version; the loser was retried and loaded again.
        Assert.Equal(3, _host.RaceGate.Arrivals);
        Assert.Contains(_host.Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId && x.Counter == 11);
    }

    [Fact]
    public async Task Two_messages_creating_the_same_instance_at_once_end_with_one_instance()
    {
        var sagaId = NewId.NextGuid();

        _host.RaceGate.Expect(2);
        await Task.WhenAll(_host.Send(new StartTestSaga(sagaId, "ref-create")), _host.Send(new StartTestSaga(sagaId, "ref-create")));

        await WaitUntilConsumed<StartTestSaga>(count: 2);
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);

        var sagas = await _host.Query(db => db.Sagas.Where(x => x.CorrelationId == sagaId).ToListAsync());
        Assert.Equal(2, Assert.Single(sagas).Starts);
        Assert.Equal(3, _host.RaceGate.Arrivals);
        Assert.Single(_host.Deliveries.Of<TestSagaStarted>(), x => x.CorrelationId == sagaId);
        Assert.False(await _host.Harness.Published.Any<Fault<StartTestSaga>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Event_correlated_by_expression_finds_its_instance()
    {
        var sagaId = NewId.NextGuid();
        await _host.Send(new StartTestSaga(sagaId, "ref-by-reference"));
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);

        await _host.Send(new IncrementTestSagaByReference("ref-by-reference", 7));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId && x.Counter == 7), Timeout);
        Assert.Equal(7, (await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId))).Counter);
    }

    [Fact]
    public async Task Load_and_query_repositories_read_saga_state()
    {
        var sagaId = NewId.NextGuid();
        await _host.Send(new StartTestSaga(sagaId, "ref-load"));
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);

        var loadRepository = _host.Services.GetRequiredService<ILoadSagaRepository<TestSagaState>>();
        var queryRepository = _host.Services.GetRequiredService<IQuerySagaRepository<TestSagaState>>();

        var loaded = await loadRepository.Load(sagaId);
        var found = await queryRepository.Find(new SagaQuery<TestSagaState>(x => x.Reference == "ref-load"));

        Assert.Equal("ref-load", loaded.Reference);
        Assert.Equal(sagaId, Assert.Single(found));
        Assert.Null(await loadRepository.Load(NewId.NextGuid()));
    }

    async Task WaitUntilConsumed<T>(int count)
        where T : class
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        while (_host.Harness.Consumed.Select<T>().Count() < count)
            await Task.Delay(20, cancellation.Token);

        await _host.Harness.InactivityTask;
    }
}
