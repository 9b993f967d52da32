using MassTransit;
using Payments.Contracts;

namespace Payments.Processor.Payments;

/// <summary>
/// Rule 3 at the edge of the bus: a ChargeRequested that still fails after every retry would be moved to the
/// error queue with the card in its body. Instead, this filter (on the saga's endpoint, acting on the last retry's failure) dead-letters a
/// copy without card data: the PAN masked, no CVV, no expiry. Re-driving that copy fails the payment with a
/// validation reason, so the merchant still gets its PaymentCompleted and no outcome is lost.
/// </summary>
public sealed class RedactedDeadLetterFilter(int retries, ILogger<RedactedDeadLetterFilter> logger) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        try
        {
            await next.Send(context);
        }
        // The endpoint's retry wraps this filter: only the last attempt's failure is final.
        catch (Exception ex) when ((ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
                                   && context.GetRetryAttempt() >= retries
                                   && context.TryGetMessage<ChargeRequested>(out var charge))
        {
            var errorQueue = new Uri($"{context.ReceiveContext.InputAddress.AbsoluteUri.TrimEnd('/')}_error");
            var endpoint = await context.GetSendEndpoint(errorQueue);
            await endpoint.Send(Redact(charge.Message), send =>
            {
                send.Headers.Set("MT-Reason", "fault");
                send.Headers.Set("MT-Fault-ExceptionType", ex.GetType().FullName);
                send.Headers.Set("MT-Fault-Message", ex.Message);
                send.Headers.Set("Payments-Redacted", "card data removed; re-driving this message fails the payment");
            });
            logger.LogError(ex, "Payment {PaymentId}: ChargeRequested failed after every retry; a copy without card data went to {ErrorQueue}",
                charge.Message.PaymentId, errorQueue);
        }
    }

    public static ChargeRequested Redact(ChargeRequested charge) => charge with
    {
        Card = charge.Card is null ? null : new CardDetails
        {
            Number = CardMask.Mask(charge.Card.Number),
            HolderName = charge.Card.HolderName,
            HolderEmail = charge.Card.HolderEmail,
        },
    };

    public void Probe(ProbeContext context) => context.CreateFilterScope("redacted-dead-letter");
}
