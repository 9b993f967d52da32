namespace Payments.Gateways.Singapay;

/// <summary>Singapay's envelope codes (response_code) and what each means for a charge.</summary>
public static class SingapayResponseCodes
{
    public const string Success = "SP000";
    public const string TransactionFailed = "SP001";
    public const string InternalError = "SP002";
    public const string InsufficientBalance = "SP003";
    public const string DuplicateReference = "SP004";
    public const string UpstreamTimeout = "SP005";
    public const string BeneficiaryLimitExceeded = "SP006";
    public const string AccountLimitExceeded = "SP007";
    public const string InvalidReference = "SP008";
    public const string TransactionNotFound = "SP009";
    public const string BeneficiaryAccountNotFound = "SP010";
    public const string VendorNotActive = "SP011";
    public const string BadRequest = "SP012";
    public const string Unauthorized = "SP013";
    public const string NotFound = "SP014";
    public const string Forbidden = "SP015";
    public const string InvalidSignature = "SP016";
    public const string IpNotWhitelisted = "SP017";
    public const string ValidationError = "SP018";
    public const string GeneralError = "SP019";
    public const string MerchantAccountNotFound = "SP020";

    /// <summary>Refusals that are final: the charge was not made and will not be.</summary>
    private static readonly HashSet<string> Declines =
    [
        TransactionFailed, InsufficientBalance, BeneficiaryLimitExceeded, AccountLimitExceeded, InvalidReference,
        BeneficiaryAccountNotFound, VendorNotActive, BadRequest, NotFound, Forbidden, InvalidSignature,
        IpNotWhitelisted, ValidationError, GeneralError, MerchantAccountNotFound,
    ];

    /// <summary>
    /// How a charge answer with this code must be treated. SP002 (internal error), SP004 (the reference is already
    /// used: this payment may have been charged by an earlier attempt), SP005 (upstream timeout) and any code not in
    /// the table leave the outcome unknown: inquire, never resend.
    /// </summary>
    public static ChargeCodeMeaning ForCharge(string? code) => code switch
    {
        Success => ChargeCodeMeaning.Accepted,
        Unauthorized => ChargeCodeMeaning.TokenRejected,
        not null when Declines.Contains(code) => ChargeCodeMeaning.Declined,
        _ => ChargeCodeMeaning.OutcomeUnknown,
    };
}

public enum ChargeCodeMeaning
{
    Accepted,
    Declined,
    OutcomeUnknown,
    /// <summary>SP013: the access token was refused before anything was processed.</summary>
    TokenRejected,
}

/// <summary>Singapay's transaction statuses (inquiry and callbacks).</summary>
public static class SingapayStatuses
{
    public const string Registered = "registered";
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Refunded = "refunded";

    public static GatewayPaymentStatus ToGatewayStatus(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        Pending or Registered => GatewayPaymentStatus.Pending,
        Processing => GatewayPaymentStatus.Processing,
        Success => GatewayPaymentStatus.Succeeded,
        Failed => GatewayPaymentStatus.Failed,
        Cancelled or Refunded => GatewayPaymentStatus.Cancelled,
        _ => GatewayPaymentStatus.Unknown,
    };

    /// <summary>void or refund for a cancelled or refunded payment; null otherwise.</summary>
    public static string? CancelTypeOf(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        Cancelled => "void",
        Refunded => "refund",
        _ => null,
    };
}
