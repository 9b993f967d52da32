using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

public enum RefundDecision
{
    /// <summary>The refund or void goes to the gateway.</summary>
    Accept,
    /// <summary>The same idempotency key as the refund or void already under way or done: answered, not repeated.</summary>
    Duplicate,
    /// <summary>Not done, for <see cref="RefundCheck.Reason"/>.</summary>
    Refuse,
}

public sealed record RefundCheck(RefundDecision Decision, string? Code = null, string? Reason = null);

/// <summary>What a refund or void may do to a payment, and how its outcome changes the payment's data.</summary>
internal static class PaymentRefundChanges
{
    public const int MaxReasonLength = 500;
    public const int MaxIdempotencyKeyLength = 100;

    /// <summary>What is wrong with a request's own fields (as the HTTP endpoints' 400 names them), or null.</summary>
    public static string? InvalidRefundRequest(string? reason, string? idempotencyKey) =>
        Invalid("reason", reason, MaxReasonLength) is { } why ? why : Invalid("idempotencyKey", idempotencyKey, MaxIdempotencyKeyLength);

    public static string? Invalid(string field, string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? $"{field} is required"
        : value.Trim().Length > max ? $"{field} must be at most {max} characters"
        : value.Any(char.IsControl) ? $"{field} must not contain control characters"
        : null;

    /// <summary>The rules for a refund or void, shared by the HTTP endpoints (to answer at once) and the saga (which decides).</summary>
    public static RefundCheck CheckRefund(this PaymentState payment, string kind, string reason, string idempotencyKey, PaymentGatewayRouter gateways)
    {
        if (InvalidRefundRequest(reason, idempotencyKey) is { } invalid)
            return new(RefundDecision.Refuse, RefundFailureCodes.Validation, invalid);
        switch (payment.CurrentState)
        {
            case PaymentStatuses.Refunding or PaymentStatuses.Refunded or PaymentStatuses.Voided:
                return string.Equals(payment.RefundIdempotencyKey, idempotencyKey.Trim(), StringComparison.Ordinal)
                    ? new(RefundDecision.Duplicate)
                    : new(RefundDecision.Refuse, RefundFailureCodes.AlreadyCancelled,
                        $"the payment is already {payment.CurrentState}, by a {payment.RefundKind} with another idempotency key; it is never cancelled twice");
            case PaymentStatuses.Failed:
                return new(RefundDecision.Refuse, RefundFailureCodes.NothingCharged,
                    $"the payment failed ({payment.FailureCode}): nothing was charged, so there is nothing to {kind}");
            case PaymentStatuses.Pending:
                return new(RefundDecision.Refuse, RefundFailureCodes.NotYetCancellable,
                    $"the charge's outcome is not known yet; {kind} it once it is Processing or Succeeded");
            case PaymentStatuses.Redirect:
                return new(RefundDecision.Refuse, RefundFailureCodes.NotYetCancellable,
                    $"the customer has not finished 3-D Secure; if they have not by {payment.RedirectExpiresAt:O}, the payment fails and is voided by itself");
            case PaymentStatuses.Succeeded when kind == RefundKinds.Void:
                return new(RefundDecision.Refuse, RefundFailureCodes.AlreadySettled,
                    "the payment has settled, so it can no longer be voided: refund it (POST /payments/{id}/refund)");
            case PaymentStatuses.Succeeded or PaymentStatuses.Processing:
                return payment.CannotCancel(gateways) is { } why
                    ? new(RefundDecision.Refuse, RefundFailureCodes.NotSupported, why)
                    : new(RefundDecision.Accept);
            default:
                return new(RefundDecision.Refuse, RefundFailureCodes.NotYetCancellable, $"the payment is {payment.CurrentState}");
        }
    }

    private static string? CannotCancel(this PaymentState payment, PaymentGatewayRouter gateways) =>
        gateways.IsRegistered(payment.Gateway)
            ? gateways.Get(payment.Gateway).CannotCancel(payment.GatewayReference)
            : $"no gateway named '{payment.Gateway}' is configured";

    public static TransitionCause AcceptRefund(this PaymentState payment, string kind, string reason, string idempotencyKey, DateTimeOffset now)
    {
        payment.RefundKind = kind;
        // Free text from the merchant: kept, but never a card number with it.
        payment.RefundReason = CardDataScrubber.ScrubText(reason.Trim());
        payment.RefundIdempotencyKey = idempotencyKey;
        payment.RefundFrom = payment.CurrentState;
        payment.RefundRequestedAt = now;
        payment.RefundedAt = null;
        payment.RefundFailureCode = null;
        payment.RefundFailureReason = null;
        return new(TransitionCauses.Command, $"{kind} requested: {payment.RefundReason}");
    }

    public static TransitionCause NoteRefundNotAccepted(this PaymentState payment, string kind, RefundCheck check) =>
        check.Decision == RefundDecision.Duplicate
            ? new(TransitionCauses.Command, $"{kind} with the same idempotency key again: the payment is {payment.CurrentState}, nothing repeated")
            : new(TransitionCauses.Command, $"{kind} refused ({check.Code}): {check.Reason}");

    public static SubmitCancel ToSubmitCancel(this PaymentState payment) =>
        new(payment.CorrelationId, payment.Gateway, payment.GatewayReference, payment.RefundKind ?? RefundKinds.Refund);

    /// <summary>Where the gateway's answer leaves a refund or void in progress.</summary>
    public static CancelOutcome CancelOutcomeOf(this PaymentState payment, GatewayCancelReported report) => report.Status switch
    {
        // A cancelled payment that does not say how was refunded if it had settled, voided if not.
        GatewayPaymentStatus.Cancelled => (report.CancelType ?? (payment.RefundFrom == PaymentStatuses.Succeeded ? RefundKinds.Refund : RefundKinds.Void))
            .Equals(RefundKinds.Refund, StringComparison.OrdinalIgnoreCase) ? CancelOutcome.Refunded : CancelOutcome.Voided,
        GatewayPaymentStatus.Succeeded => CancelOutcome.NotCancelledSucceeded,
        GatewayPaymentStatus.Processing or GatewayPaymentStatus.Pending when payment.RefundFrom == PaymentStatuses.Processing
            => CancelOutcome.NotCancelledProcessing,
        GatewayPaymentStatus.Failed when payment.RefundFrom == PaymentStatuses.Processing => CancelOutcome.ChargeFailed,
        _ => CancelOutcome.Unconfirmed,
    };

    public static TransitionCause ApplyCancelled(this PaymentState payment, GatewayCancelReported report, DateTimeOffset now)
    {
        payment.RefundedAt = now;
        payment.NeedsReconciliation = false;
        return new(TransitionCauses.GatewayResponse,
            $"{report.CancelType ?? "cancel"} confirmed by inquiry ({report.Status}): {Describe(report)}");
    }

    /// <summary>The gateway did not cancel, and its status shows the payment as it was: back there, with the reason kept.</summary>
    public static TransitionCause ApplyCancelRefused(this PaymentState payment, GatewayCancelReported report)
    {
        payment.RefundFailureCode = report.ResponseCode ?? RefundFailureCodes.GatewayRefused;
        payment.RefundFailureReason = $"the gateway did not {payment.RefundKind} the payment and reports it {report.Status}: {Describe(report)}";
        payment.NeedsReconciliation = false;
        return new(TransitionCauses.GatewayResponse, $"{payment.RefundKind} refused: {payment.RefundFailureReason}");
    }

    /// <summary>The charge failed at the gateway before the void reached it: nothing was charged.</summary>
    public static TransitionCause ApplyChargeFailedBeforeVoid(this PaymentState payment, GatewayCancelReported report)
    {
        payment.FailureCode = report.ResponseCode ?? "failed";
        payment.FailureReason = report.ResponseMessage ?? "the gateway reports the payment failed";
        payment.RefundFailureCode = RefundFailureCodes.NothingCharged;
        payment.RefundFailureReason = "the charge failed at the gateway before it could be voided: nothing was charged";
        payment.NeedsReconciliation = false;
        return new(TransitionCauses.GatewayResponse, $"{payment.RefundKind} not needed: the gateway reports the charge Failed ({Describe(report)})");
    }

    public static TransitionCause FlagCancelUnconfirmed(this PaymentState payment, GatewayCancelReported report)
    {
        payment.NeedsReconciliation = true;
        return new(TransitionCauses.Reconciliation,
            $"needs reconciliation: the {payment.RefundKind} is not confirmed, the gateway reports {report.Status} ({Describe(report)}); asking again");
    }

    public static PaymentRefunded ToRefunded(this PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        MerchantReference = payment.MerchantReference,
        Amount = payment.Amount,
        Currency = payment.Currency,
        Gateway = payment.Gateway,
        GatewayTransactionId = payment.GatewayTransactionId,
        IdempotencyKey = payment.RefundIdempotencyKey ?? "",
        Reason = payment.RefundReason ?? "",
        RefundedAt = payment.RefundedAt ?? payment.UpdatedAt,
    };

    public static PaymentVoided ToVoided(this PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        MerchantReference = payment.MerchantReference,
        Amount = payment.Amount,
        Currency = payment.Currency,
        Gateway = payment.Gateway,
        GatewayTransactionId = payment.GatewayTransactionId,
        IdempotencyKey = payment.RefundIdempotencyKey ?? "",
        Reason = payment.RefundReason ?? "",
        VoidedAt = payment.RefundedAt ?? payment.UpdatedAt,
    };

    /// <summary>A refund or void the saga refused without asking the gateway.</summary>
    public static PaymentRefundFailed ToRefundRefused(this PaymentState payment, string kind, string idempotencyKey, RefundCheck check,
        DateTimeOffset now) => new()
        {
            PaymentId = payment.CorrelationId,
            MerchantReference = payment.MerchantReference,
            Kind = kind,
            IdempotencyKey = idempotencyKey,
            Code = check.Code ?? RefundFailureCodes.GatewayRefused,
            Reason = check.Reason ?? "",
            Status = payment.CurrentState,
            At = now,
        };

    /// <summary>The accepted refund or void that did not happen; published once the payment has returned to its status.</summary>
    public static PaymentRefundFailed ToRefundFailed(this PaymentState payment, string status, DateTimeOffset now) => new()
    {
        PaymentId = payment.CorrelationId,
        MerchantReference = payment.MerchantReference,
        Kind = payment.RefundKind ?? RefundKinds.Refund,
        IdempotencyKey = payment.RefundIdempotencyKey ?? "",
        Code = payment.RefundFailureCode ?? RefundFailureCodes.GatewayRefused,
        Reason = payment.RefundFailureReason ?? "",
        Status = status,
        At = now,
    };

    private static string Describe(GatewayCancelReported report) =>
        string.Join(" ", new[] { report.ResponseCode, report.ResponseMessage }.Where(s => !string.IsNullOrEmpty(s)));
}

public enum CancelOutcome
{
    Refunded,
    Voided,
    /// <summary>Not cancelled; the gateway says the payment succeeded (and stays so).</summary>
    NotCancelledSucceeded,
    /// <summary>Not cancelled; the gateway still processes the payment.</summary>
    NotCancelledProcessing,
    /// <summary>The charge itself failed before the void: nothing was charged.</summary>
    ChargeFailed,
    /// <summary>The gateway could not be asked, cannot find the payment, or contradicts what we know: ask again.</summary>
    Unconfirmed,
}
