using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;

namespace Payments.IntegrationTests.Support;

/// <summary>
/// Another service on the same broker: it sends ChargeRequested as a merchant's service would, and records every
/// PaymentCompleted, PaymentStatusChanged and refund outcome it receives, so tests can prove nothing was lost or published twice.
/// </summary>
public sealed class EventObserver : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IBusControl _bus;

    public ConcurrentQueue<PaymentCompleted> Completed { get; } = new();
    public ConcurrentQueue<PaymentStatusChanged> StatusChanges { get; } = new();
    public ConcurrentQueue<PaymentRefunded> Refunded { get; } = new();
    public ConcurrentQueue<PaymentVoided> Voided { get; } = new();
    public ConcurrentQueue<PaymentRefundFailed> RefundsFailed { get; } = new();

    private EventObserver(ServiceProvider provider)
    {
        _provider = provider;
        _bus = provider.GetRequiredService<IBusControl>();
    }

    public IBus Bus => _bus;

    public static async Task<EventObserver> Start(string virtualHost)
    {
        EventObserver? observer = null;
        var services = new ServiceCollection();
        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.UsingRabbitMq((context, cfg) =>
            {
                var (host, port) = TestServices.RabbitMq;
                cfg.Host(host, port, virtualHost, h => { h.Username("guest"); h.Password("guest"); });
                // As a merchant service may: the interfaces the contracts implement get no exchange of their own.
                cfg.Publish<IPaymentMessage>(p => p.Exclude = true);
                cfg.Publish<IPaymentGatewayMessage>(p => p.Exclude = true);
                cfg.Publish<IPaymentStatusMessage>(p => p.Exclude = true);
                cfg.ReceiveEndpoint("merchant-service", e =>
                {
                    e.Handler<PaymentCompleted>(c => { observer!.Completed.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<PaymentStatusChanged>(c => { observer!.StatusChanges.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<PaymentRefunded>(c => { observer!.Refunded.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<PaymentVoided>(c => { observer!.Voided.Enqueue(c.Message); return Task.CompletedTask; });
                    e.Handler<PaymentRefundFailed>(c => { observer!.RefundsFailed.Enqueue(c.Message); return Task.CompletedTask; });
                });
            });
        });
        observer = new EventObserver(services.BuildServiceProvider());
        await observer._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return observer;
    }

    public int CompletedCount(Guid paymentId) => Completed.Count(c => c.PaymentId == paymentId);

    public async Task<PaymentCompleted> WaitForCompletion(Guid paymentId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (Completed.FirstOrDefault(c => c.PaymentId == paymentId) is { } completed)
                return completed;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"No PaymentCompleted for {paymentId} within the time allowed.");
    }

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        await _provider.DisposeAsync();
    }
}
