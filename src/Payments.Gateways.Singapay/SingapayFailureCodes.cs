using Payments.Contracts;

namespace Payments.Gateways.Singapay;

/// <summary>Singapay's refusals in the processor's one vocabulary (<see cref="FailureCodes"/>); the codes themselves are kept too.</summary>
public static class SingapayFailureCodes
{
    /// <summary>The provider (issuer) result codes a failed transaction carries: ISO 8583 response codes, and 3DS.</summary>
    public static readonly IReadOnlyDictionary<string, string> ProviderCodes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["05"] = FailureCodes.CardDeclined,
        ["14"] = FailureCodes.InvalidCard,
        ["51"] = FailureCodes.InsufficientFunds,
        ["54"] = FailureCodes.ExpiredCard,
        ["3DS"] = FailureCodes.ThreeDsNotCompleted,
    };

    /// <summary>A declined charge answer (<see cref="SingapayResponseCodes"/>).</summary>
    public static string ForCharge(string? responseCode, string? responseMessage) => responseCode switch
    {
        // SP001 covers issuer declines and Singapay's own expiry check, told apart only by the message.
        SingapayResponseCodes.TransactionFailed when responseMessage?.Contains("expir", StringComparison.OrdinalIgnoreCase) == true
            => FailureCodes.ExpiredCard,
        SingapayResponseCodes.TransactionFailed => FailureCodes.CardDeclined,
        SingapayResponseCodes.InsufficientBalance => FailureCodes.InsufficientFunds,
        SingapayResponseCodes.BadRequest or SingapayResponseCodes.ValidationError or SingapayResponseCodes.InvalidReference
            => FailureCodes.Validation,
        // Limits, an inactive vendor, a wrong account, signature or IP: the merchant's setup, not the card.
        _ => FailureCodes.GatewayRejected,
    };

    /// <summary>A failed or cancelled transaction, as an inquiry or a callback reports it.</summary>
    public static string ForTransaction(GatewayPaymentStatus status, string? providerResultCode) =>
        status == GatewayPaymentStatus.Cancelled
            ? FailureCodes.Cancelled
            : providerResultCode is not null && ProviderCodes.TryGetValue(providerResultCode.Trim(), out var code)
                ? code
                : FailureCodes.CardDeclined;
}
