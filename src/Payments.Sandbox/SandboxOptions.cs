namespace Payments.Sandbox;

/// <summary>Bound from the "Sandbox" configuration section.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Where the sandbox listens when it runs on its own Kestrel server. Port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5090";

    public SingapaySandboxOptions Singapay { get; set; } = new();
    public FinpaySandboxOptions Finpay { get; set; } = new();
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
}

public sealed class FinpaySandboxOptions
{
    public string MerchantId { get; set; } = "sandbox-merchant";
    public string MerchantKey { get; set; } = "sandbox-merchant-key";
    public string? CallbackUrl { get; set; }
}
