namespace Payments.Contracts;

/// <summary>The customer must finish 3-D Secure: render <see cref="RedirectHtml"/> (it auto-submits) before <see cref="ExpiresAt"/>.</summary>
public record PaymentRedirectRequired
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    public string RedirectHtml { get; init; } = "";
    public string? PaymentUrl { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Published on every transition of a payment.</summary>
public record PaymentStatusChanged
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    /// <summary>Pending, Redirect, Processing, Succeeded or Failed (see <see cref="PaymentStatuses"/>).</summary>
    public string Status { get; init; } = "";
    public string? PreviousStatus { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>Published exactly once per payment, when it reaches Succeeded or Failed.</summary>
public record PaymentCompleted
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
    public string? FailureCode { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
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

/// <summary>Well-known <see cref="PaymentCompleted.FailureCode"/> values set by the processor itself.</summary>
public static class FailureCodes
{
    public const string Validation = "validation";
    public const string ThreeDsNotCompleted = "3ds_not_completed";
    /// <summary>No charge request can have reached the gateway: its circuit was open or it refused the connection throughout.</summary>
    public const string GatewayUnavailable = "gateway_unavailable";
    /// <summary>An operator confirmed with the gateway that the charge failed (POST /ops/payments/{id}/resolve).</summary>
    public const string ResolvedByOps = "resolved_by_ops";
    /// <summary>The processor could not handle the payment (its store rejected it, or the charge could not be started) before any charge was sent.</summary>
    public const string ProcessingError = "processing_error";
}
