namespace Payments.Sandbox;

/// <summary>Bound from the "Sandbox" configuration section.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Where the sandbox listens when it runs on its own Kestrel server. Port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5090";

    public SingapaySandboxOptions Singapay { get; set; } = new();
    public FinpaySandboxOptions Finpay { get; set; } = new();
    public CheckoutOptions Checkout { get; set; } = new();
}

/// <summary>
/// The demo shop at /checkout: where the processor is and the merchant key the shop's server side charges with
/// (the browser never sees it). On embedded defaults the processor fills both in.
/// </summary>
public sealed class CheckoutOptions
{
    public string? ProcessorUrl { get; set; }
    public string? MerchantApiKey { get; set; }
}

/// <summary>The merchant credentials the simulated Singapay accepts. Defaults match the processor's embedded defaults.</summary>
public sealed class SingapaySandboxOptions
{
    public string ApiKey { get; set; } = "sandbox-api-key";
    public string ClientId { get; set; } = "sandbox-client-id";
    public string ClientSecret { get; set; } = "sandbox-client-secret";
    public string AccountId { get; set; } = "01K5G4FZZ18DMK0M5QTR8Y9QY9";
    public int TokenLifetimeSeconds { get; set; } = 3600;
    /// <summary>Where signed card callbacks are posted; none are sent when empty.</summary>
    public string? CallbackUrl { get; set; }
    /// <summary>
    /// Also answer Inquiry Status for a merchant reference_no. Singapay documents only transaction_id,
    /// provider_transaction_id and its numeric id there, so this is off by default: a reference gets SP009.
    /// </summary>
    public bool InquiryByReference { get; set; }

    /// <summary>The merchant's name as the issuer's 3-D Secure page shows it.</summary>
    public string MerchantName { get; set; } = "Payments demo shop";
    /// <summary>The one-time password the sandbox issuer accepts on its 3-D Secure page (documented in docs/sandbox-test-cards.md).</summary>
    public string ThreeDsOtp { get; set; } = "123456";
    /// <summary>Wrong one-time passwords after which the issuer fails the authentication.</summary>
    public int ThreeDsOtpAttempts { get; set; } = 3;
    /// <summary>How long the 3-D Secure page accepts a confirmation, counted from the charge (the processor's Payments:ThreeDsWindow).</summary>
    public TimeSpan ThreeDsWindow { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>
    /// Where the 3-D Secure page sends the browser when the customer is done, with transaction_id and reference_no
    /// added (the merchant's return address registered with Singapay); without it, the page shows the outcome itself.
    /// </summary>
    public string? ThreeDsReturnUrl { get; set; }
}

public sealed class FinpaySandboxOptions
{
    public string MerchantId { get; set; } = "sandbox-merchant";
    public string MerchantKey { get; set; } = "sandbox-merchant-key";
    public string? CallbackUrl { get; set; }
}
