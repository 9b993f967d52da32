using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payments.Persistence.Scheduling;
using Xunit;
using ScheduledMessage = Payments.Persistence.Scheduling.ScheduledMessage;

namespace Payments.Persistence.Tests.Scheduling;

public sealed class InMemorySchedulerDeliveryTests
{
    [Fact]
    public async Task A_message_is_sent_only_once_the_clock_reaches_its_due_time_with_its_token_and_message_id()
    {
        await using SchedulingTestHost host = await SchedulingTestHost.StartAsync(o => o.UseInMemory());
        var paymentId = Guid.NewGuid();
        var messageId = NewId.NextGuid();

        MassTransit.ScheduledMessage<PollDue> handle = await host.ScheduleOutsideConsumer(PollProbeConsumer.Address,
            host.Clock.GetUtcNow().UtcDateTime.AddSeconds(30), new PollDue(paymentId, 1), send =>
            {
                send.MessageId = messageId;
                send.Headers.Set("X-Payment-Reference", "order-42");
            });

        Assert.Equal(0, await host.Dispatcher.DispatchDueAsync(Token));
        host.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await host.Dispatcher.DispatchDueAsync(Token));

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(Token));

        Delivery delivery = await host.Deliveries.WaitForOne(x => x.Message.PaymentId == paymentId);
        Assert.Equal(new PollDue(paymentId, 1), delivery.Message);
        Assert.Equal(handle.TokenId, delivery.SchedulingTokenId);
        Assert.Equal(handle.TokenId.ToString("N"), delivery.RawTokenHeader);
        Assert.Equal(messageId, delivery.MessageId);
        Assert.Equal("order-42", delivery.PaymentReferenceHeader);
        Assert.Equal(0, host.Services.GetRequiredService<InMemoryScheduledMessageStore>().Count);
        Assert.Equal(0, await host.Dispatcher.DispatchDueAsync(Token));
    }

    [Fact]
    public async Task A_cancelled_message_is_never_sent()
    {
        await using SchedulingTestHost host = await SchedulingTestHost.StartAsync(o => o.UseInMemory());
        var cancelledPayment = Guid.NewGuid();
        var keptPayment = Guid.NewGuid();

        MassTransit.ScheduledMessage<PollDue> cancelled = await host.ScheduleOutsideConsumer(PollProbeConsumer.Address,
            host.Clock.GetUtcNow().UtcDateTime.AddSeconds(10), new PollDue(cancelledPayment, 1));
        await host.ScheduleOutsideConsumer(PollProbeConsumer.Address, host.Clock.GetUtcNow().UtcDateTime.AddSeconds(20), new PollDue(keptPayment, 1));

        await host.CancelOutsideConsumer(PollProbeConsumer.Address, cancelled.TokenId);
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(Token));
        // The kept message went out after the cancelled one would have; by then the cancelled one would have arrived too.
        await host.Deliveries.WaitForOne(x => x.Message.PaymentId == keptPayment);
        Assert.DoesNotContain(host.Deliveries.All, x => x.Message.PaymentId == cancelledPayment);
        Assert.Equal(0, host.Services.GetRequiredService<InMemoryScheduledMessageStore>().Count);
    }

    [Fact]
    public async Task A_consumer_schedules_through_its_consume_context_and_the_conversation_carries_over()
    {
        await using SchedulingTestHost host = await SchedulingTestHost.StartAsync(o => o.UseInMemory());
        var paymentId = Guid.NewGuid();
        var conversationId = NewId.NextGuid();
        var startCorrelationId = NewId.NextGuid();

        await host.Harness.Bus.Publish(new StartPolling(paymentId, host.Clock.GetUtcNow().UtcDateTime.AddMinutes(2)), send =>
        {
            send.ConversationId = conversationId;
            send.CorrelationId = startCorrelationId;
            send.Headers.Set("X-Payment-Reference", "order-77");
        }, Token);
        await host.Harness.Consumed.WaitForConsumed<StartPolling>(x => x.PaymentId == paymentId);

        ScheduledMessage stored = Assert.Single(host.Services.GetRequiredService<InMemoryScheduledMessageStore>().Snapshot());
        Assert.Equal(host.Clock.GetUtcNow().AddMinutes(2), stored.DueAt);
        Assert.Equal(host.Clock.GetUtcNow(), stored.CreatedAt);
        Assert.EndsWith(PollProbeConsumer.EndpointName, stored.DestinationAddress);
        Assert.Contains("PollDue", stored.MessageType);

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(Token));

        Delivery delivery = await host.Deliveries.WaitForOne(x => x.Message.PaymentId == paymentId);
        Assert.Equal(stored.TokenId, delivery.SchedulingTokenId);
        Assert.Equal(stored.MessageId, delivery.MessageId);
        Assert.Equal(conversationId, delivery.ConversationId);
        // As on a direct send from a consumer: initiated by the consumed message, its application headers carried over.
        Assert.Equal(startCorrelationId, delivery.InitiatorId);
        Assert.Equal("order-77", delivery.PaymentReferenceHeader);
        Assert.EndsWith(PollProbeConsumer.EndpointName, delivery.SourceAddress!.AbsolutePath);
    }

    [Fact]
    public async Task The_hosted_dispatcher_sends_on_its_own_and_records_the_lag()
    {
        await using SchedulingTestHost host = await SchedulingTestHost.StartAsync(o => o.UseInMemory());

        // Only this host's meter: other tests' dispatchers record into meters of the same name.
        IMeterFactory meters = host.Services.GetRequiredService<IMeterFactory>();
        var lags = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == ScheduledMessageDispatcher.MeterName
                && instrument.Name == ScheduledMessageDispatcher.LagInstrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (lags)
            {
                lags.Add(value);
            }
        });
        listener.Start();

        ScheduledMessageDispatcher dispatcher = host.Dispatcher;
        await dispatcher.StartAsync(Token);
        try
        {
            var paymentId = Guid.NewGuid();
            await host.ScheduleOutsideConsumer(PollProbeConsumer.Address, host.Clock.GetUtcNow().UtcDateTime.AddSeconds(5), new PollDue(paymentId, 3));

            await Task.Delay(200, Token);
            Assert.Empty(host.Deliveries.All);

            host.Clock.Advance(TimeSpan.FromSeconds(7));
            await host.Deliveries.WaitForOne(x => x.Message.PaymentId == paymentId);
        }
        finally
        {
            await dispatcher.StopAsync(Token);
        }

        lock (lags)
        {
            Assert.Equal(2.0, Assert.Single(lags), precision: 3);
        }
    }

    [Fact]
    public async Task A_message_due_now_is_sent_without_waiting_for_the_next_poll()
    {
        await using SchedulingTestHost host = await SchedulingTestHost.StartAsync(o =>
        {
            o.UseInMemory();
            o.PollInterval = TimeSpan.FromMinutes(5);
        });
        ScheduledMessageDispatcher dispatcher = host.Dispatcher;
        await dispatcher.StartAsync(Token);
        try
        {
            // Let the first (empty) poll pass, so only the wake-up can explain a prompt delivery.
            await Task.Delay(200, Token);
            var paymentId = Guid.NewGuid();

            await host.ScheduleOutsideConsumer(PollProbeConsumer.Address, host.Clock.GetUtcNow().UtcDateTime, new PollDue(paymentId, 1));

            await host.Deliveries.WaitForOne(x => x.Message.PaymentId == paymentId, TimeSpan.FromSeconds(5));
        }
        finally
        {
            await dispatcher.StopAsync(Token);
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
