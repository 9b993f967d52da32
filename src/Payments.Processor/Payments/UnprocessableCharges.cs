using System.Data.Common;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// Ends a payment whose <see cref="ChargeRequested"/> could not be processed, so the merchant is never left without
/// an outcome. It runs in the <c>payments</c> endpoint's error pipe, which MassTransit enters only once the exception
/// has escaped every retry (the endpoint's and the concurrency retry nested in it), so there is no retry-attempt
/// arithmetic to get wrong. When no charge can have left (the charge ledger records every attempt before it is sent,
/// and holds none for this payment), it publishes PaymentStatusChanged(Failed) and PaymentCompleted(Failed,
/// processing_error). When a charge may have left, the outcome is not ours to guess: nothing is published, and the
/// payment is left for reconciliation.
/// </summary>
public sealed partial class UnprocessableCharges(IChargeAttemptLedger ledger, TimeProvider clock, ILogger<UnprocessableCharges> logger)
{
    private const int MaxReasonLength = 500;
    private const int MaxReferenceLength = 1000;

    /// <summary>What was done about the message, for the scrubbed copy's header (no card data).</summary>
    public async Task<string> End(ReceiveContext context, Exception exception)
    {
        if (TryRead(context) is not { } payment)
            return "not a readable ChargeRequested: no payment was ended";

        if (await ChargeMayHaveLeft(payment, context.CancellationToken))
        {
            var error = CardDataScrubber.Describe(exception);
            LogOutcomeUnknown(logger, payment.PaymentId, error);
            return "a charge may have left for this payment: its outcome is left for reconciliation";
        }

        await Fail(context.PublishEndpointProvider, payment, exception, context.CancellationToken);
        LogFailed(logger, payment.PaymentId, CardDataScrubber.Describe(exception));
        return $"PaymentCompleted(Failed, {FailureCodes.ProcessingError}) published; no charge was sent";
    }

    /// <summary>
    /// The ChargeRequested in the body, read the way MassTransit's JSON serializer reads it: inside the envelope's
    /// <c>message</c>, or the whole body when it was sent raw. Null when it is not one, or does not deserialize.
    /// </summary>
    internal static ChargeRequested? TryRead(ReceiveContext context)
    {
        try
        {
            using var document = JsonDocument.Parse(context.Body.GetBytes());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            var message = root.TryGetProperty("message", out var envelopeMessage) && envelopeMessage.ValueKind == JsonValueKind.Object
                ? envelopeMessage
                : root;
            if (root.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                && !types.EnumerateArray().Any(t => t.GetString()?.EndsWith(":" + nameof(ChargeRequested), StringComparison.Ordinal) == true))
                return null;
            var charge = message.Deserialize<ChargeRequested>(SystemTextJsonMessageSerializer.Options);
            return charge is { PaymentId: var id } && id != Guid.Empty ? charge : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<bool> ChargeMayHaveLeft(ChargeRequested payment, CancellationToken cancellationToken)
    {
        try
        {
            var attempt = await ledger.FindByReferenceAsync(PaymentGatewayRouter.GatewayFor(payment), payment.MerchantReference,
                cancellationToken);
            return attempt?.PaymentId == payment.PaymentId;
        }
        catch (DbException ex) when (ex.SqlState?.StartsWith("22", StringComparison.Ordinal) == true)
        {
            // SQLSTATE class 22 (data exception): the store cannot even hold this reference, so no attempt carries it.
            return false;
        }
    }

    private async Task Fail(IPublishEndpointProvider publisher, ChargeRequested payment, Exception exception,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reference = CardDataScrubber.ScrubText(payment.MerchantReference.Length > MaxReferenceLength
            ? payment.MerchantReference[..MaxReferenceLength]
            : payment.MerchantReference);
        var reason = "The payment could not be recorded, so no charge was sent: " + CardDataScrubber.Describe(exception);
        if (reason.Length > MaxReasonLength)
            reason = reason[..MaxReasonLength];

        var statusChanged = await publisher.GetPublishSendEndpoint<PaymentStatusChanged>();
        await statusChanged.Send(new PaymentStatusChanged
        {
            PaymentId = payment.PaymentId,
            MerchantReference = reference,
            Status = PaymentStatuses.Failed,
            At = now,
            // The payment was never saved, so this is its first and only status.
            Sequence = 1,
        }, cancellationToken);
        var completed = await publisher.GetPublishSendEndpoint<PaymentCompleted>();
        await completed.Send(new PaymentCompleted
        {
            PaymentId = payment.PaymentId,
            MerchantReference = reference,
            Succeeded = false,
            Status = PaymentStatuses.Failed,
            Amount = payment.Amount,
            Currency = CardDataScrubber.ScrubText(payment.Currency),
            CardMasked = payment.Card is null ? null : CardMask.Mask(payment.Card.Number),
            FailureCode = FailureCodes.ProcessingError,
            FailureReason = reason,
            CompletedAt = now,
            Sequence = 1,
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Payment {PaymentId}: ChargeRequested failed after every retry before any charge; failed it as processing_error. {Error}")]
    private static partial void LogFailed(ILogger logger, Guid paymentId, string error);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Payment {PaymentId}: ChargeRequested failed after every retry after a charge may have left; outcome left for reconciliation. {Error}")]
    private static partial void LogOutcomeUnknown(ILogger logger, Guid paymentId, string error);
}
