using System.Net;

namespace Payments.Gateways.Finpay;

internal enum FinpayCodeMeaning
{
    Success,
    Declined,
    OutcomeUnknown,
}

/// <summary>Reads Finpay's response codes with the (configurable, assumed) rules of <see cref="FinpayResponseCodeOptions"/>.</summary>
internal sealed class FinpayResponseCodes(FinpayResponseCodeOptions options)
{
    private readonly IReadOnlyList<string> _declined = SplitPrefixes(options.DeclinedPrefixes);
    private readonly IReadOnlyList<string> _unknown = SplitPrefixes(options.OutcomeUnknownPrefixes);
    private readonly IReadOnlyList<string> _notFound = SplitPrefixes(options.NotFoundPrefixes);

    public FinpayCodeMeaning Classify(string responseCode)
    {
        if (responseCode == options.Success)
            return FinpayCodeMeaning.Success;
        if (StartsWithAny(responseCode, _unknown))
            return FinpayCodeMeaning.OutcomeUnknown;
        if (StartsWithAny(responseCode, _declined))
            return FinpayCodeMeaning.Declined;
        return FinpayCodeMeaning.OutcomeUnknown;
    }

    public bool IsSuccess(string? responseCode) => responseCode == options.Success;

    /// <summary>For a readable answer: Finpay says it has no such order.</summary>
    public bool MeansNotFound(HttpStatusCode status, string? responseCode) =>
        status == HttpStatusCode.NotFound || (responseCode is not null && StartsWithAny(responseCode, _notFound));

    internal static IReadOnlyList<string> SplitPrefixes(string? prefixes) =>
        (prefixes ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool StartsWithAny(string code, IReadOnlyList<string> prefixes) =>
        prefixes.Any(prefix => code.StartsWith(prefix, StringComparison.Ordinal));
}
