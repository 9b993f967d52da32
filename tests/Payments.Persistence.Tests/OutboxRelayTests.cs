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
    private OutboxTestHost _host = null!;

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
        await _host.Deliveries.WaitFor(log => log.Of<BusOutboxMessage>().Count() == 3, "three messages were delivered");
        Assert.Equal(ids, _host.Deliveries.Of<BusOutboxMessage>().OrderBy(x => x.Sequence).Select(x => x.Id));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxState>().CountAsync()));
    }

    [Fact]
    public async Task The_relay_records_how_long_each_message_waited_in_the_outbox()
    {
        var lags = new System.Collections.Concurrent.ConcurrentBag<double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Payments" && instrument.Name == BusOutboxDeliveryService<TestDbContext>.LagInstrumentName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => lags.Add(value));
        listener.Start();
        // MassTransit stamps SentTime with the real clock; bring the relay's clock to real time, then 30 s later.
        _host.Clock.Advance(DateTimeOffset.UtcNow - _host.Clock.GetUtcNow());
        await PublishThroughBusOutbox(scopes: 1, messagesPerScope: 3);
        _host.Clock.Advance(TimeSpan.FromSeconds(30));

        await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken);

        Assert.True(lags.Count >= 3, $"{lags.Count} lag measurements");
        Assert.Contains(lags, lag => lag is >= 29 and < 90); // ~30 s, less the time the publish itself took
    }

    [Fact]
    public async Task Relayed_message_keeps_its_headers_and_identifiers()
    {
        var messageId = NewId.NextGuid();
        var correlationId = NewId.NextGuid();
        var conversationId = NewId.NextGuid();
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(new BusOutboxMessage(NewId.NextGuid(), 1), context =>
            {
                context.MessageId = messageId;
                context.CorrelationId = correlationId;
                context.ConversationId = conversationId;
                context.Headers.Set(DeliveryLog.TestHeader, "kept");
            }, TestContext.Current.CancellationToken);
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken);

        await _host.Deliveries.WaitFor(log => log.Contexts.ContainsKey(messageId), "the message was delivered");
        Assert.Equal(new DeliveredContext(correlationId, conversationId, "kept"), _host.Deliveries.Contexts[messageId]);
    }

    [Fact]
    public async Task Each_SaveChanges_closes_a_bus_outbox_scope_even_after_the_change_tracker_was_cleared()
    {
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            var dbContext = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            for (var i = 0; i < 3; i++)
            {
                await publishEndpoint.Publish(new BusOutboxMessage(NewId.NextGuid(), i), TestContext.Current.CancellationToken);
                await dbContext.SaveChangesAsync(TestContext.Current.CancellationToken);
                dbContext.ChangeTracker.Clear();
            }
        }

        Assert.Equal(3, await _host.Query(db => db.Set<OutboxState>().CountAsync()));
        Assert.Equal(3, await _host.Query(db => db.Set<OutboxMessage>().Select(x => x.OutboxId).Distinct().CountAsync()));

        Assert.Equal(3, await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken));
        await _host.Deliveries.WaitFor(log => log.Of<BusOutboxMessage>().Count() == 3, "three messages were delivered");
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
        var sagaId = await _host.StartSaga("ref-left-behind");
        var messageId = NewId.NextGuid();

        await _host.Send(new PublishUndeliverable(sagaId), messageId);

        // The saga's change committed with the outgoing message; delivering it failed, and the message went to the error queue.
        await Eventually.Until(() => _host.Query(db => db.Set<InboxState>().AnyAsync(x => x.MessageId == messageId && x.Consumed != null)),
            "the message was consumed");
        await _host.Harness.InactivityTask;
        Assert.Equal(100, (await _host.Query(db => db.Sagas.SingleAsync(x => x.CorrelationId == sagaId))).Counter);
        var inbox = await _host.Query(db => db.Set<InboxState>().SingleAsync(x => x.MessageId == messageId));
        Assert.NotNull(inbox.Consumed);
        Assert.Null(inbox.Delivered);
        Assert.Equal(1, await _host.Query(db => db.Set<OutboxMessage>().CountAsync(x => x.InboxMessageId == messageId)));

        Assert.Equal(0, await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken));

        _host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _host.Relay.DeliverBatchAsync(TestContext.Current.CancellationToken));

        await _host.Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId && x.Counter == 100),
            "the left-behind message was delivered");
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
        // 1,200 messages through the harness's consumer: minutes, not seconds, on a loaded 2-core machine.
        await _host.Deliveries.WaitFor(log => log.Of<BusOutboxMessage>().Count() >= 1200, "all messages were delivered", TimeSpan.FromMinutes(3));
        await _host.Harness.InactivityTask;
        Assert.Equal(1200, _host.Deliveries.Of<BusOutboxMessage>().Count());
        Assert.All(_host.Deliveries.Deliveries.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, await _host.Query(db => db.Set<OutboxMessage>().CountAsync()));
    }

    private BusOutboxDeliveryService<TestDbContext> CreateRelay()
    {
        return ActivatorUtilities.CreateInstance<BusOutboxDeliveryService<TestDbContext>>(_host.Services);
    }

    private async Task<List<Guid>> PublishThroughBusOutbox(int scopes, int messagesPerScope)
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
