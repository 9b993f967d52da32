using Microsoft.Extensions.Options;

namespace Payments.Gateways.Finpay;

/// <summary>
/// Bound from "Gateways:Finpay". The defaults point at the local sandbox with its default credentials
/// (src/Payments.Sandbox/SandboxOptions.cs); Finpay's real hosts are https://devo.finnet.co.id (development) and
/// https://live.finnet.co.id (production). Timeouts, retries and the circuit breaker live in
/// "Gateways:Finpay:Resilience" (GatewayResilienceOptions).
/// </summary>
public sealed class FinpayOptions
{
    public const string Section = "Gateways:Finpay";

    /// <summary>Scheme, host and optional path prefix; API paths such as /pg/payment/card/payment are appended.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:5090/finpay";

    public string MerchantId { get; set; } = "sandbox-merchant";

    /// <summary>The Basic-auth password, and the HMAC key of callback signatures.</summary>
    public string MerchantKey { get; set; } = "sandbox-merchant-key";

    /// <summary>
    /// During a key rotation only: callbacks signed with this (the old) key are still verified. Remove it once the
    /// rotation is done.
    /// </summary>
    public string? PreviousMerchantKey { get; set; }

    /// <summary>How Finpay's seven-digit response codes are read. Finpay's full list is not public: these are assumptions.</summary>
    public FinpayResponseCodeOptions ResponseCodes { get; set; } = new();

    internal Uri ApiBase => new(BaseUrl.TrimEnd('/') + "/");
}

/// <summary>
/// Codes are SNAP-style: HTTP status (3 digits) + service (2) + case (2). Prefix lists are comma-separated, e.g. "5,409".
/// A charge answer is read in this order: <see cref="Success"/> → accepted; a prefix in <see cref="OutcomeUnknownPrefixes"/>
/// → outcome unknown; a prefix in <see cref="DeclinedPrefixes"/> → declined; anything else → outcome unknown.
/// </summary>
public sealed class FinpayResponseCodeOptions
{
    public string Success { get; set; } = "2000000";

    /// <summary>Definitive refusals of the request (assumed: every 4xx code).</summary>
    public string DeclinedPrefixes { get; set; } = "4";

    /// <summary>
    /// Answers that leave a charge's fate open, checked before <see cref="DeclinedPrefixes"/>: 5xx, and 409 (order.id
    /// already used, so an earlier charge with this order id may exist: ask, never charge again).
    /// </summary>
    public string OutcomeUnknownPrefixes { get; set; } = "5,409";

    /// <summary>
    /// A status check answering one of these, or HTTP 404 with a Finpay answer body, means Finpay has no such order.
    /// A 404 whose body is not a Finpay answer (wrong BaseUrl, a proxy) stays unknown.
    /// </summary>
    public string NotFoundPrefixes { get; set; } = "404";
}

internal sealed class FinpayOptionsValidator : IValidateOptions<FinpayOptions>
{
    public ValidateOptionsResult Validate(string? name, FinpayOptions options)
    {
        var problems = new List<string>();
        const string section = FinpayOptions.Section;

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            problems.Add($"{section}:BaseUrl must be an absolute http(s) URL.");
        if (string.IsNullOrWhiteSpace(options.MerchantId))
            problems.Add($"{section}:MerchantId is required.");
        else if (options.MerchantId.Contains(':'))
            problems.Add($"{section}:MerchantId must not contain ':' (it is the Basic-auth user name).");
        if (string.IsNullOrWhiteSpace(options.MerchantKey))
            problems.Add($"{section}:MerchantKey is required.");

        var codes = options.ResponseCodes;
        if (codes is null)
        {
            problems.Add($"{section}:ResponseCodes is required.");
        }
        else
        {
            if (!IsCode(codes.Success))
                problems.Add($"{section}:ResponseCodes:Success must be a seven-digit code.");
            RequirePrefixes(codes.DeclinedPrefixes, "DeclinedPrefixes");
            RequirePrefixes(codes.OutcomeUnknownPrefixes, "OutcomeUnknownPrefixes");
            RequirePrefixes(codes.NotFoundPrefixes, "NotFoundPrefixes");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

        void RequirePrefixes(string? value, string key)
        {
            var prefixes = FinpayResponseCodes.SplitPrefixes(value);
            if (prefixes.Count == 0 || prefixes.Any(p => p.Length > 7 || !p.All(char.IsAsciiDigit)))
                problems.Add($"{section}:ResponseCodes:{key} must be a comma-separated list of digit prefixes.");
        }
    }

    private static bool IsCode(string? code) => code is { Length: 7 } && code.All(char.IsAsciiDigit);
}
