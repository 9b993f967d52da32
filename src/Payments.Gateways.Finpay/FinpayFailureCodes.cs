using Payments.Contracts;

namespace Payments.Gateways.Finpay;

/// <summary>
/// Finpay's refusals in the processor's one vocabulary (<see cref="FailureCodes"/>). Finpay's code list is not public:
/// the named codes are the SNAP-style ones the sandbox uses; the rest are read by their HTTP status (the first three digits).
/// </summary>
public static class FinpayFailureCodes
{
    /// <summary>The adapter's own code for a charge without a stored card: refused before anything is sent.</summary>
    public const string NoStoredCard = "no_stored_card";

    public static readonly IReadOnlyDictionary<string, string> Codes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["4030005"] = FailureCodes.CardDeclined,
        ["4030014"] = FailureCodes.InsufficientFunds,
        ["4030054"] = FailureCodes.ExpiredCard,
        ["4040011"] = FailureCodes.InvalidCard,
        [NoStoredCard] = FailureCodes.InvalidCard,
    };

    /// <summary>A declined charge, or a failed payment reported with this code.</summary>
    public static string For(string? code)
    {
        // A failed payment whose report carries no code of its own (or the status check's 2000000): declined, reason unsaid.
        if (code is null || code.StartsWith('2'))
            return FailureCodes.CardDeclined;
        if (Codes.TryGetValue(code, out var known))
            return known;
        if (code.StartsWith("400", StringComparison.Ordinal))
            return FailureCodes.Validation;
        if (code.StartsWith("403", StringComparison.Ordinal))
            return FailureCodes.CardDeclined;
        return FailureCodes.GatewayRejected;
    }

    /// <summary>A failed or cancelled payment, as a status check or callback reports it.</summary>
    public static string ForPayment(GatewayPaymentStatus status, string? code) =>
        status == GatewayPaymentStatus.Cancelled ? FailureCodes.Cancelled : For(code);
}
