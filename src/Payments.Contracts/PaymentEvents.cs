namespace Payments.Contracts;

/// <summary>The customer must finish 3-D Secure: render <see cref="RedirectHtml"/> (it auto-submits) before <see cref="ExpiresAt"/>.</summary>
public record PaymentRedirectRequired : IPaymentStatusMessage
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    public string RedirectHtml { get; init; } = "";
    public string? PaymentUrl { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Not a field on the wire: the payment waits in <see cref="PaymentStatuses.Redirect"/>.</summary>
    string IPaymentStatusMessage.Status => PaymentStatuses.Redirect;
}

/// <summary>Published on every transition of a payment.</summary>
public record PaymentStatusChanged : IPaymentStatusMessage
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    /// <summary>Pending, Redirect, Processing, Succeeded or Failed (see <see cref="PaymentStatuses"/>).</summary>
    public string Status { get; init; } = "";
    public string? PreviousStatus { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>
    /// 1 for the payment's first status, then one more on each transition. Events may arrive out of order: a consumer
    /// keeps the highest sequence it has applied per payment and ignores any event with a lower or equal one.
    /// </summary>
    public int Sequence { get; init; }
}

/// <summary>Published exactly once per payment, when it reaches Succeeded or Failed.</summary>
public record PaymentCompleted : IPaymentStatusMessage, IPaymentGatewayMessage
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    public bool Succeeded { get; init; }
    public string Status { get; init; } = "";
    public long Amount { get; init; }
    public string Currency { get; init; } = "IDR";
    /// <summary>Singapay or Finpay; empty when the command failed validation before a gateway was chosen.</summary>
    public string Gateway { get; init; } = "";
    public string? GatewayTransactionId { get; init; }
    public string? AuthorizationCode { get; init; }
    public string? CardMasked { get; init; }
    /// <summary>Failed only: one of <see cref="FailureCodes.All"/>, the same on every gateway.</summary>
    public string? FailureCode { get; init; }
    public string? FailureReason { get; init; }
    /// <summary>
    /// For <see cref="FailureCodes.Validation"/> of the command itself: every failing field with what it accepts, the
    /// same shape as the <c>errors</c> of POST /payments' 400 answer.
    /// </summary>
    public IReadOnlyDictionary<string, string[]>? ValidationErrors { get; init; }
    /// <summary>The gateway's own code for the outcome (SP001, 4030005, 05…), verbatim, when it gave one.</summary>
    public string? GatewayCode { get; init; }
    /// <summary>The gateway's own message for the outcome, verbatim, when it gave one.</summary>
    public string? GatewayMessage { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
    /// <summary>The <see cref="PaymentStatusChanged.Sequence"/> of the final status: no later status change follows.</summary>
    public int Sequence { get; init; }
}

public static class PaymentStatuses
{
    public const string Pending = "Pending";
    public const string Redirect = "Redirect";
    public const string Processing = "Processing";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    /// <summary>A refund or void is on its way to the gateway.</summary>
    public const string Refunding = "Refunding";
    public const string Refunded = "Refunded";
    public const string Voided = "Voided";
}

public static class PaymentGateways
{
    public const string Singapay = "Singapay";
    public const string Finpay = "Finpay";
}

/// <summary>
/// Every <see cref="PaymentCompleted.FailureCode"/> the processor emits, the same for every gateway (docs/contracts.md).
/// The gateway's own code and message travel next to it in <see cref="PaymentCompleted.GatewayCode"/> and
/// <see cref="PaymentCompleted.GatewayMessage"/>.
/// </summary>
public static class FailureCodes
{
    /// <summary>The issuer or gateway declined the card, with no more specific reason below (Singapay SP001, Finpay 4030005, ISO 05).</summary>
    public const string CardDeclined = "card_declined";
    /// <summary>The card's account lacks the funds (Singapay SP003, Finpay 4030014, ISO 51).</summary>
    public const string InsufficientFunds = "insufficient_funds";
    /// <summary>The issuer says the card has expired (ISO 54, Finpay 4030054, Singapay's expiry check).</summary>
    public const string ExpiredCard = "expired_card";
    /// <summary>The card or stored-card token is not one the gateway can charge (Finpay 4040011, a missing stored card).</summary>
    public const string InvalidCard = "invalid_card";
    /// <summary>The customer did not finish 3-D Secure: cancelled it, or its window closed.</summary>
    public const string ThreeDsNotCompleted = "3ds_not_completed";
    /// <summary>The gateway refused the request for a reason that is not the card's (merchant setup, limits, signature): nothing was charged.</summary>
    public const string GatewayRejected = "gateway_rejected";
    /// <summary>The gateway reports the payment voided or refunded before it completed.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>The command broke a rule (every failing field is named in the reason), or the gateway refused its fields.</summary>
    public const string Validation = "validation";
    /// <summary>No charge request can have reached the gateway: its circuit was open or it refused the connection throughout.</summary>
    public const string GatewayUnavailable = "gateway_unavailable";
    /// <summary>The MerchantReference is already used by another payment at that gateway: nothing was sent.</summary>
    public const string DuplicateReference = "duplicate_reference";
    /// <summary>An operator confirmed with the gateway that the charge failed (POST /ops/payments/{id}/resolve).</summary>
    public const string ResolvedByOps = "resolved_by_ops";
    /// <summary>The processor could not handle the payment (its store rejected it, or the charge could not be started) before any charge was sent.</summary>
    public const string ProcessingError = "processing_error";

    /// <summary>The whole set: nothing else is ever a FailureCode.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CardDeclined, InsufficientFunds, ExpiredCard, InvalidCard, ThreeDsNotCompleted, GatewayRejected, Cancelled,
        Validation, GatewayUnavailable, DuplicateReference, ResolvedByOps, ProcessingError,
    };
}
