using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

// Messages private to the processor. None carries card data in plaintext, so all of them may rest in the outbox and scheduler.

/// <summary>Scheduled by the saga: time to ask the gateway again.</summary>
public record InquiryDue(Guid PaymentId) : IPaymentMessage;

/// <summary>Scheduled by the saga: the customer's 3-D Secure window is over.</summary>
public record RedirectWindowExpired(Guid PaymentId) : IPaymentMessage;

/// <summary>Asks <see cref="InquirePaymentStatusConsumer"/> to check a payment at its gateway.</summary>
public record InquirePaymentStatus(Guid PaymentId, string Gateway, GatewayPaymentReference Reference, bool FinalCheck)
    : IPaymentGatewayMessage;

/// <summary>Asks <see cref="CancelPaymentConsumer"/> to void (or refund) a payment at its gateway.</summary>
public record CancelPayment(Guid PaymentId, string Gateway, GatewayPaymentReference Reference, string Reason)
    : IPaymentGatewayMessage;

/// <summary>
/// What the gateway says about a payment, from an inquiry poll or a verified callback. Both sources drive the
/// same transitions, so their order does not matter.
/// </summary>
public record GatewayStatusReported : IPaymentGatewayMessage
{
    public Guid PaymentId { get; init; }
    public string Gateway { get; init; } = "";
    /// <summary>callback or poll (see <see cref="TransitionCauses"/>).</summary>
    public string Source { get; init; } = TransitionCauses.Poll;
    public GatewayPaymentStatus Status { get; init; }
    public string? GatewayTransactionId { get; init; }
    public string? AuthorizationCode { get; init; }
    public string? CardMasked { get; init; }
    public string? ResponseCode { get; init; }
    public string? ResponseMessage { get; init; }
    /// <summary>For Failed and Cancelled: the gateway adapter's reading of the outcome, one of <see cref="FailureCodes.All"/>.</summary>
    public string? FailureCode { get; init; }
    /// <summary>The last inquiry after the 3-D Secure window closed: anything short of progress fails the payment.</summary>
    public bool FinalCheck { get; init; }
    public DateTimeOffset ReportedAt { get; init; }

    public static GatewayStatusReported From(InquiryResult result, Guid paymentId, string gateway, string source,
        bool finalCheck, DateTimeOffset at) => new()
        {
            PaymentId = paymentId,
            Gateway = gateway,
            Source = source,
            Status = result.Status,
            GatewayTransactionId = result.GatewayTransactionId,
            AuthorizationCode = result.AuthorizationCode,
            CardMasked = result.CardMasked,
            ResponseCode = result.ResponseCode,
            ResponseMessage = result.ResponseMessage,
            FailureCode = result.FailureCode,
            FinalCheck = finalCheck,
            ReportedAt = at,
        };
}

/// <summary>
/// Sent by the saga once the payment is saved as Pending: charge it. The card crosses the bus only sealed
/// (<see cref="ChargeRequested.EncryptedCard"/>, never <see cref="ChargeRequested.Card"/>); a stored card is a token.
/// </summary>
public sealed record SubmitCharge : IPaymentGatewayMessage
{
    public Guid PaymentId { get; init; }
    public string Gateway { get; init; } = "";
    public ChargeRequested Charge { get; init; } = new();
}

// What the charge step learned, one event per arrow of the state machine (docs/state-machine.md).

/// <summary>The gateway took the charge and is processing it.</summary>
public sealed record ChargeAccepted(Guid PaymentId, ChargeResult Result) : IPaymentMessage;

/// <summary>The gateway took the charge; the customer must finish 3-D Secure.</summary>
public sealed record ChargeRedirectRequired(Guid PaymentId, ChargeResult Result) : IPaymentMessage;

/// <summary>The gateway refused the charge: final.</summary>
public sealed record ChargeDeclined(Guid PaymentId, ChargeResult Result) : IPaymentMessage;

/// <summary>The charge may or may not exist at the gateway (timeout, 5xx, an earlier attempt): never resent, settled by evidence.</summary>
public sealed record ChargeOutcomeUnknown(Guid PaymentId, ChargeResult Result) : IPaymentMessage;

/// <summary>No charge request can have reached the gateway (circuit open, connection refused, reference in use, unreadable card).</summary>
public sealed record ChargeNotSent(Guid PaymentId, string Code, string Reason) : IPaymentMessage;

/// <summary>
/// An operator settles a payment whose outcome the processor could not establish (POST /ops/payments/{id}/resolve):
/// either with the gateway's transaction id (the processor then inquires by it) or with a confirmed outcome.
/// </summary>
public sealed record ResolvePayment : IPaymentMessage
{
    public Guid PaymentId { get; init; }
    public string? GatewayTransactionId { get; init; }
    /// <summary>Succeeded or Failed, as confirmed with the gateway; null when <see cref="GatewayTransactionId"/> is given.</summary>
    public string? Outcome { get; init; }
    public string Actor { get; init; } = "";
    public string Reason { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
}
