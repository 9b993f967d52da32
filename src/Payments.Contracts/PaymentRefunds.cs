namespace Payments.Contracts;

/// <summary>
/// Gives a payment's money back in full: a succeeded payment is refunded at its gateway; one the gateway has taken but
/// not yet settled (Processing) is voided instead, as the gateway itself decides. The outcome is
/// <see cref="PaymentRefunded"/>, <see cref="PaymentVoided"/> or <see cref="PaymentRefundFailed"/>.
/// </summary>
public record RefundPayment : IPaymentMessage
{
    public Guid PaymentId { get; init; }
    /// <summary>Why, in the merchant's words: kept in the payment's audit trail.</summary>
    public string Reason { get; init; } = "";
    /// <summary>The same key again is the same request: it is answered, never refunded again.</summary>
    public string IdempotencyKey { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
}

/// <summary>
/// Cancels a payment the gateway has taken but not yet settled (Processing). A settled one is refused: refund it
/// (<see cref="RefundPayment"/>). Should it settle while the void is on its way, the gateway refunds it instead.
/// </summary>
public record VoidPayment : IPaymentMessage
{
    public Guid PaymentId { get; init; }
    public string Reason { get; init; } = "";
    public string IdempotencyKey { get; init; } = "";
    public DateTimeOffset RequestedAt { get; init; }
}

/// <summary>Published once, when the gateway refunded the payment and an inquiry confirmed it.</summary>
public record PaymentRefunded : IPaymentGatewayMessage
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    public long Amount { get; init; }
    public string Currency { get; init; } = "IDR";
    public string Gateway { get; init; } = "";
    public string? GatewayTransactionId { get; init; }
    /// <summary>The key of the request that started it.</summary>
    public string IdempotencyKey { get; init; } = "";
    public string Reason { get; init; } = "";
    public DateTimeOffset RefundedAt { get; init; }
}

/// <summary>Published once, when the gateway voided the payment (nothing was captured) and an inquiry confirmed it.</summary>
public record PaymentVoided : IPaymentGatewayMessage
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    public long Amount { get; init; }
    public string Currency { get; init; } = "IDR";
    public string Gateway { get; init; } = "";
    public string? GatewayTransactionId { get; init; }
    public string IdempotencyKey { get; init; } = "";
    public string Reason { get; init; } = "";
    public DateTimeOffset VoidedAt { get; init; }
}

/// <summary>
/// A refund or void was not done: refused before the gateway was asked (see <see cref="RefundFailureCodes"/>), or the
/// gateway did not cancel and its status confirms the payment stands. No money moved.
/// </summary>
public record PaymentRefundFailed : IPaymentStatusMessage
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    /// <summary>refund or void (see <see cref="RefundKinds"/>): what was asked.</summary>
    public string Kind { get; init; } = "";
    public string IdempotencyKey { get; init; } = "";
    /// <summary>One of <see cref="RefundFailureCodes"/>, or the gateway's own code.</summary>
    public string Code { get; init; } = "";
    public string Reason { get; init; } = "";
    /// <summary>The payment's status after the failure.</summary>
    public string Status { get; init; } = "";
    public DateTimeOffset At { get; init; }
}

public static class RefundKinds
{
    public const string Refund = "refund";
    public const string Void = "void";
}

/// <summary><see cref="PaymentRefundFailed.Code"/> values set by the processor itself.</summary>
public static class RefundFailureCodes
{
    /// <summary>The request itself is invalid: a missing or too long reason or idempotency key.</summary>
    public const string Validation = "validation";
    /// <summary>The payment failed (or was never charged): there is nothing to give back.</summary>
    public const string NothingCharged = "nothing_charged";
    /// <summary>The charge's outcome is not known yet (Pending) or the customer is still in 3-D Secure (Redirect).</summary>
    public const string NotYetCancellable = "not_yet_cancellable";
    /// <summary>A void for a payment that has settled: refund it instead.</summary>
    public const string AlreadySettled = "already_settled";
    /// <summary>A refund or void is in progress or done, started by another idempotency key.</summary>
    public const string AlreadyCancelled = "already_cancelled";
    /// <summary>The gateway offers no cancel through its API for this payment (Finpay).</summary>
    public const string NotSupported = "cancel_not_supported";
    /// <summary>The gateway did not cancel, and its status shows the payment unchanged.</summary>
    public const string GatewayRefused = "gateway_refused";
}
