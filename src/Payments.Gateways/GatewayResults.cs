namespace Payments.Gateways;

public enum ChargeResultKind
{
    /// <summary>The gateway took the charge and is processing it (Singapay action=complete, Finpay 2000000).</summary>
    Accepted,
    /// <summary>The customer must complete 3-D Secure.</summary>
    RedirectRequired,
    /// <summary>Definitively refused: issuer decline, validation, expiry. Final.</summary>
    Declined,
    /// <summary>A timeout, a 5xx, SP005, SP004: the charge may or may not exist. Never resend; inquire.</summary>
    OutcomeUnknown,
}

public sealed record ChargeResult
{
    public required ChargeResultKind Kind { get; init; }
    public string? GatewayTransactionId { get; init; }
    public string? ProviderTransactionId { get; init; }
    public string? AuthorizationCode { get; init; }
    public string? CardMasked { get; init; }
    public string? RedirectHtml { get; init; }
    public string? PaymentUrl { get; init; }
    /// <summary>The gateway's own code (SP001, 4010000, timeout…), kept verbatim for the audit trail.</summary>
    public string? ResponseCode { get; init; }
    public string? ResponseMessage { get; init; }
    /// <summary>For <see cref="ChargeResultKind.Declined"/>: what the refusal means, one of <c>FailureCodes.All</c>.</summary>
    public string? FailureCode { get; init; }

    public static ChargeResult Unknown(string code, string message) =>
        new() { Kind = ChargeResultKind.OutcomeUnknown, ResponseCode = code, ResponseMessage = message };
}

/// <summary>What an inquiry (status check) or a verified callback says about a payment.</summary>
public enum GatewayPaymentStatus
{
    /// <summary>3-D Secure not finished yet.</summary>
    Pending,
    Processing,
    Succeeded,
    Failed,
    /// <summary>Voided or refunded at the gateway.</summary>
    Cancelled,
    /// <summary>The gateway has no such payment (SP009): the charge never arrived.</summary>
    NotFound,
    /// <summary>The inquiry itself failed (timeout, 5xx): nothing learned, ask again later.</summary>
    Unknown,
}

public sealed record InquiryResult
{
    public required GatewayPaymentStatus Status { get; init; }
    public string? GatewayTransactionId { get; init; }
    public string? AuthorizationCode { get; init; }
    public string? CardMasked { get; init; }
    public string? ResponseCode { get; init; }
    public string? ResponseMessage { get; init; }
    /// <summary>For <see cref="GatewayPaymentStatus.Cancelled"/>: void or refund, when the gateway says which.</summary>
    public string? CancelType { get; init; }
    /// <summary>For Failed and Cancelled: what the outcome means, one of <c>FailureCodes.All</c>.</summary>
    public string? FailureCode { get; init; }

    public static InquiryResult Unknown(string code, string message) =>
        new() { Status = GatewayPaymentStatus.Unknown, ResponseCode = code, ResponseMessage = message };
}

public sealed record CancelResult
{
    public required bool Cancelled { get; init; }
    /// <summary>void or refund.</summary>
    public string? CancelType { get; init; }
    public string? ResponseCode { get; init; }
    public string? ResponseMessage { get; init; }
}

/// <summary>The request certainly did not reach the gateway (circuit open, connection refused): safe to try later.</summary>
public sealed class GatewayUnavailableException(string gateway, string message, Exception? inner = null)
    : Exception($"{gateway} unavailable: {message}", inner)
{
    public string Gateway { get; } = gateway;
}
