using System.Diagnostics;
using MassTransit;
using Payments.Contracts;
using Payments.Processor.Payments;

namespace Payments.Processor.Observability;

/// <summary>
/// Watches the bus, so the saga needn't know about telemetry: tags the span of every payment message sent, published
/// or consumed with <c>payment.id</c> (and gateway and state where the message says), and counts payments started
/// and completed from the events the saga publishes.
/// </summary>
public sealed class PaymentBusObserver(PaymentsMetrics metrics, TimeProvider clock) : IConsumeObserver, IPublishObserver, ISendObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        TagCurrentSpan(context.Message);
        return Task.CompletedTask;
    }

    public Task PrePublish<T>(PublishContext<T> context) where T : class
    {
        TagCurrentSpan(context.Message);
        return Task.CompletedTask;
    }

    public Task PreSend<T>(SendContext<T> context) where T : class
    {
        TagCurrentSpan(context.Message);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Counted once the saga's event has left (after its outbox released it), so a consume that fails and is retried
    /// counts nothing twice.
    /// </summary>
    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        switch (context.Message)
        {
            case PaymentStatusChanged { PreviousStatus: null }:
                metrics.PaymentStarted(Payment(context)?.Gateway);
                break;
            case PaymentCompleted completed:
                var createdAt = Payment(context)?.CreatedAt;
                var end = completed.CompletedAt == default ? clock.GetUtcNow() : completed.CompletedAt;
                metrics.PaymentCompleted(completed.Gateway, completed.Succeeded ? "succeeded" : "failed",
                    createdAt is { } start && start != default ? end - start : null);
                break;
        }
        return Task.CompletedTask;
    }

    private static void TagCurrentSpan(object message)
    {
        if (Activity.Current is { } span && message is IPaymentMessage payment)
            PaymentsTelemetry.Tag(span, payment.PaymentId, (message as IPaymentGatewayMessage)?.Gateway, (message as IPaymentStatusMessage)?.Status);
    }

    /// <summary>The payment whose saga published the event, when it was published from the saga.</summary>
    private static PaymentState? Payment(PipeContext context) =>
        context.TryGetPayload<SagaConsumeContext<PaymentState>>(out var saga) ? saga.Saga : null;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
