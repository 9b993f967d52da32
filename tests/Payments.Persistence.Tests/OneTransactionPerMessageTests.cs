using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Persistence.Outbox;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests;

/// <summary>
/// The cost side of the outbox (issue 11): a consumed message costs one commit, its completion shares a commit with
/// others, and messages for one saga instance take turns on its row instead of failing and being retried.
/// </summary>
[Trait("Category", "PostgreSQL")]
public sealed class OneTransactionPerMessageTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private OutboxTestHost? _host;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host != null)
            await _host.DisposeAsync();
    }

    [Fact]
    public async Task Each_consumed_message_commits_once_and_completions_add_only_their_batches()
    {
        _host = await OutboxTestHost.StartAsync(database);
        var sagaIds = new List<Guid>();
        for (var i = 0; i < 10; i++)
            sagaIds.Add(await _host.StartSaga($"ref-commits-{i}"));
        // Each start: the command consumed by the saga, and its event consumed by the delivery log.
        await WaitUntilDelivered(2 * sagaIds.Count);
        var commitsBefore = _host.Commits.Committed;
        var batchesBefore = _host.Completions.BatchesCommitted;

        await Task.WhenAll(sagaIds.Select(id => _host.Send(new IncrementTestSaga(id, 1))));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Count() == sagaIds.Count, "every increment was announced");
        await WaitUntilDelivered(4 * sagaIds.Count);
        // Ten increments consumed by the saga, and their ten events consumed by the delivery log: twenty messages.
        var consumed = 2 * sagaIds.Count;
        var batches = _host.Completions.BatchesCommitted - batchesBefore;
        Assert.Equal(consumed + batches, _host.Commits.Committed - commitsBefore);
        Assert.InRange(batches, 1, consumed);
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
    }

    [Fact]
    public async Task Without_inline_delivery_each_consumed_message_commits_twice_and_nothing_is_batched()
    {
        _host = await OutboxTestHost.StartAsync(database, outbox => outbox.DeliverInline = false);
        var sagaIds = new List<Guid>();
        for (var i = 0; i < 10; i++)
            sagaIds.Add(await _host.StartSaga($"ref-locked-{i}"));
        await WaitUntilDelivered(2 * sagaIds.Count);
        var commitsBefore = _host.Commits.Committed;

        await Task.WhenAll(sagaIds.Select(id => _host.Send(new IncrementTestSaga(id, 1))));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Count() == sagaIds.Count, "every increment was announced");
        await WaitUntilDelivered(4 * sagaIds.Count);
        // Consume, then a locked pass that delivers and marks delivered: twenty messages, forty commits.
        Assert.Equal(2 * 2 * sagaIds.Count, _host.Commits.Committed - commitsBefore);
        // Each pass commits whole or rolls back whole: no savepoint per SaveChanges (two statements each).
        Assert.Equal(0, _host.Commits.SavepointsCreated);
        Assert.Equal(0, _host.Completions.BatchesCommitted);
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
    }

    [Fact]
    public async Task A_batch_completes_every_waiting_message_in_one_commit()
    {
        _host = await OutboxTestHost.StartAsync(database);
        var consumerId = NewId.NextGuid();
        var messageIds = Enumerable.Range(0, 50).Select(_ => NewId.NextGuid()).ToList();
        var delivered = new DateTime(2026, 11, 21, 8, 0, 0, DateTimeKind.Utc);
        await _host.Query(async db =>
        {
            foreach (var messageId in messageIds)
            {
                db.Add(new InboxState
                {
                    MessageId = messageId,
                    ConsumerId = consumerId,
                    LockId = NewId.NextGuid(),
                    Received = delivered,
                    ReceiveCount = 1,
                    Consumed = delivered
                });
                db.Add(new OutboxMessage
                {
                    MessageId = NewId.NextGuid(),
                    InboxMessageId = messageId,
                    InboxConsumerId = consumerId,
                    SentTime = delivered,
                    ContentType = "application/json",
                    MessageType = "urn:message:Test",
                    Body = "{}"
                });
            }

            return await db.SaveChangesAsync();
        });
        var otherConsumersMessage = messageIds[0];
        var otherConsumer = NewId.NextGuid();
        await _host.Query(async db =>
        {
            db.Add(new InboxState
            {
                MessageId = otherConsumersMessage,
                ConsumerId = otherConsumer,
                LockId = NewId.NextGuid(),
                Received = delivered,
                ReceiveCount = 1,
                Consumed = delivered
            });
            return await db.SaveChangesAsync();
        });
        var completions = new InboxDeliveryCompletions<TestDbContext>(_host.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new OutboxDeliveryServiceOptions()), _host.Clock, NullLogger<InboxDeliveryCompletions<TestDbContext>>.Instance);
        foreach (var messageId in messageIds)
            completions.Complete(messageId, consumerId);
        var commitsBefore = _host.Commits.Committed;

        Assert.Equal(50, await completions.FlushAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1, _host.Commits.Committed - commitsBefore);
        Assert.Equal(1, completions.BatchesCommitted);
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
        Assert.Equal(50, await _host.Query(db => db.Set<InboxState>().CountAsync(x => x.ConsumerId == consumerId && x.Delivered != null)));
        // The same message consumed by another consumer is that consumer's business.
        Assert.Null((await _host.Query(db => db.Set<InboxState>().SingleAsync(x => x.ConsumerId == otherConsumer))).Delivered);
    }

    [Fact]
    public async Task Under_pessimistic_concurrency_a_message_waits_for_the_row_and_then_applies_to_what_it_finds()
    {
        _host = await OutboxTestHost.StartAsync(database, sagaConcurrency: ConcurrencyMode.Pessimistic);
        var sagaId = await _host.StartSaga("ref-pessimistic");
        _host.RaceGate.Expect(1);

        // Another writer holds the instance's row and changes it.
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var update = new NpgsqlCommand("""UPDATE "TestSagaState" SET "Counter" = 100 WHERE "CorrelationId" = @id""", holder, transaction))
        {
            update.Parameters.AddWithValue("id", sagaId);
            Assert.Equal(1, await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        await _host.Send(new IncrementTestSaga(sagaId, 1));

        await Eventually.Until(() => SomeoneWaitsOnALock(database.ConnectionString), "the increment waits for the row");
        Assert.Equal(0, _host.RaceGate.Arrivals);
        await transaction.CommitAsync(TestContext.Current.CancellationToken);

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId), "the increment was announced");
        Assert.Equal(101, (await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId))).Counter);
        // It ran once, on the row as the other writer left it: no lost race, no retry.
        Assert.Equal(1, _host.RaceGate.Arrivals);
        Assert.Contains(_host.Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId && x.Counter == 101);
    }

    /// <summary>On a connection of its own: the holder's is busy with its open transaction.</summary>
    private static async Task<bool> SomeoneWaitsOnALock(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await query.ExecuteScalarAsync())! > 0;
    }

    /// <summary>
    /// Waits until <paramref name="messages"/> consumed messages are delivered and none is pending. The count matters:
    /// a message being consumed has no committed inbox row yet, so "none pending" alone can hold before it commits.
    /// </summary>
    private Task WaitUntilDelivered(int messages) =>
        Eventually.Until(() => _host!.Query(async db =>
                !await db.Set<InboxState>().AnyAsync(x => x.Delivered == null)
                && await db.Set<InboxState>().CountAsync(x => x.Delivered != null) == messages),
            $"{messages} inbox rows are delivered and none is pending");
}
