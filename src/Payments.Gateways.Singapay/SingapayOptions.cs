using Microsoft.Extensions.Options;

namespace Payments.Gateways.Singapay;

/// <summary>
/// Bound from "Gateways:Singapay". The defaults point at the local sandbox with its default credentials
/// (src/Payments.Sandbox/SandboxOptions.cs); the real hosts are https://sandbox-payment-b2b.singapay.id (Singapay's
/// sandbox) and https://payment-b2b.singapay.id (production), both IP-whitelisted.
/// Per-call timeouts, retries and the circuit breaker live in "Gateways:Singapay:Resilience" (GatewayResilienceOptions).
/// </summary>
public sealed class SingapayOptions
{
    public const string Section = "Gateways:Singapay";

    /// <summary>Scheme, host and optional path prefix; API paths such as /api/v1.1/access-token/b2b are appended.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:5090/singapay";

    /// <summary>Sent as X-PARTNER-ID on every call.</summary>
    public string ApiKey { get; set; } = "sandbox-api-key";

    public string ClientId { get; set; } = "sandbox-client-id";

    /// <summary>Signs access-token requests and verifies callbacks.</summary>
    public string ClientSecret { get; set; } = "sandbox-client-secret";

    /// <summary>
    /// During a secret rotation only: callbacks signed with this (the old) secret are still verified, so none is
    /// refused between the switch at Singapay and the processor's restart. Remove it once the rotation is done.
    /// </summary>
    public string? PreviousClientSecret { get; set; }

    /// <summary>The merchant account (ULID) charged when a payment names none.</summary>
    public string AccountId { get; set; } = "01K5G4FZZ18DMK0M5QTR8Y9QY9";

    /// <summary>A cached access token is replaced this long before it expires.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A callback whose X-Timestamp is further than this from now is refused as a replay.</summary>
    public TimeSpan CallbackTimestampTolerance { get; set; } = TimeSpan.FromSeconds(300);

    internal Uri ApiBase => new(BaseUrl.TrimEnd('/') + "/");
}

internal sealed class SingapayOptionsValidator : IValidateOptions<SingapayOptions>
{
    public ValidateOptionsResult Validate(string? name, SingapayOptions options)
    {
        var problems = new List<string>();
        var section = SingapayOptions.Section;

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            problems.Add($"{section}:BaseUrl must be an absolute http(s) URL.");
        Require(options.ApiKey, "ApiKey");
        Require(options.ClientId, "ClientId");
        Require(options.ClientSecret, "ClientSecret");
        Require(options.AccountId, "AccountId");
        if (options.TokenRefreshMargin < TimeSpan.Zero || options.TokenRefreshMargin > TimeSpan.FromHours(1))
            problems.Add($"{section}:TokenRefreshMargin must be between 0 and 1 hour.");
        if (options.CallbackTimestampTolerance <= TimeSpan.Zero || options.CallbackTimestampTolerance > TimeSpan.FromHours(1))
            problems.Add($"{section}:CallbackTimestampTolerance must be above 0 and at most 1 hour.");

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);

        void Require(string? value, string key)
        {
            if (string.IsNullOrWhiteSpace(value))
                problems.Add($"{section}:{key} is required.");
        }
    }
}
