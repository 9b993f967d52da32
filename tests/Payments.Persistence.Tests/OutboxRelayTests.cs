using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Persistence.Outbox;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests;

[Trait("Category", "PostgreSQL")]
public sealed class OutboxRelayTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    OutboxTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        _host = await OutboxTestHost.StartAsync(database, outbox =>
        {
            outbox.QueryMessageLimit = 20;
            outbox.UndeliveredInboxDelay = TimeSpan.FromMinutes(1);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Bus_outbox_messages_are_stored_by_SaveChanges_and_delivered_in_order_by_the_relay()
    {
        var ids = await PublishThroughBusOutbox(scopes: 1, messagesPerScope: 3);

        Assert.Equal(3, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
        Assert.Empty(_host.Deliveries.Of<BusOutboxMessage>());

        var delivered = await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, delivered);
        await _host.Deliveries.WaitFor(log => log.Of<BusOutboxMessage>().Count() == 3, Timeout);
        Assert.Equal(ids, _host.Deliveries.Of<BusOutboxMessage>().OrderBy(x => x.Sequence).Select(x => x.Id));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxState>().CountAsync()));
    }

    [Fact]
    public async Task Bus_outbox_messages_without_SaveChanges_are_neither_stored_nor_sent()
    {
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            await publishEndpoint.Publish(new BusOutboxMessage(NewId.NextGuid(), 0), TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
        Assert.Empty(_host.Deliveries.Of<BusOutboxMessage>());
    }

    [Fact]
    public async Task Relay_delivers_messages_a_consumer_committed_but_could_not_deliver()
    {
        var sagaId = NewId.NextGuid();
        await _host.Send(new StartTestSaga(sagaId, "ref-left-behind"));
        await _host.Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), Timeout);

        var messageId = NewId.NextGuid();
        await _host.Send(new PublishUndeliverable(sagaId), messageId);

        // The saga's change committed with the outgoing message; delivering it failed, and the message went to the error queue.
        Assert.True(await _host.Harness.Published.Any<Fault<PublishUndeliverable>>(TestContext.Current.CancellationToken));
        Assert.Equal(100, (await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId))).Counter);
        var inbox = await _host.Query(db => db.Set<InboxState>().SingleAsync(x => x.MessageId == messageId));
        Assert.NotNull(inbox.Consumed);
        Assert.Null(inbox.Delivered);
        Assert.Equal(1, await _host.Query(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxMessageId == messageId)));

        Assert.Equal(0, await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken));

        _host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId && x.Counter == 100), Timeout);
        inbox = await _host.Query(db => db.Set<InboxState>().SingleAsync(x => x.MessageId == messageId));
        Assert.Equal(_host.Clock.GetUtcNow().UtcDateTime, inbox.Delivered);
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
    }

    [Fact]
    public async Task Two_relays_running_at_once_deliver_each_message_once()
    {
        await PublishThroughBusOutbox(scopes: 300, messagesPerScope: 4);
        var relays = new[] { CreateRelay(), CreateRelay() };
        var cancellationToken = TestContext.Current.CancellationToken;

        var counts = await Task.WhenAll(relays.Select(relay => Task.Run(async () =>
        {
            var delivered = 0;
            int batch;
            while ((batch = await relay.DeliverBatchAsync(cancellationToken)) > 0)
                delivered += batch;
            return delivered;
        }, cancellationToken)));

        Assert.Equal(1200, counts.Sum());
        Assert.All(counts, count => Assert.True(count > 0, "both relays should have delivered part of the messages"));
        await _host.Deliveries.WaitFor(log => log.Of<BusOutboxMessage>().Count() >= 1200, Timeout);
        await _host.Harness.InactivityTask;
        Assert.Equal(1200, _host.Deliveries.Of<BusOutboxMessage>().Count());
        Assert.All(_host.Deliveries.Deliveries.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
    }

    BusOutboxDeliveryService<TestDbContext> CreateRelay()
    {
        return ActivatorUtilities.CreateInstance<BusOutboxDeliveryService<TestDbContext>>(_host.Services);
    }

    async Task<List<Guid>> PublishThroughBusOutbox(int scopes, int messagesPerScope)
    {
        var ids = new List<Guid>();
        for (var scopeIndex = 0; scopeIndex < scopes; scopeIndex++)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            for (var i = 0; i < messagesPerScope; i++)
            {
                var id = NewId.NextGuid();
                ids.Add(id);
                await publishEndpoint.Publish(new BusOutboxMessage(id, ids.Count), TestContext.Current.CancellationToken);
            }

            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        return ids;
    }
}
