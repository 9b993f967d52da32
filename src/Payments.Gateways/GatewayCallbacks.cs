namespace Payments.Gateways;

/// <summary>A gateway callback (webhook) exactly as it arrived: the raw body matters for signatures.</summary>
public sealed record GatewayCallbackRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body);

public enum CallbackTrust
{
    /// <summary>The signature checks out: the callback is evidence and may move the payment.</summary>
    Verified,
    /// <summary>No signature at all (e.g. a dashboard "Test" button): only a hint to inquire now.</summary>
    // The member's name is the value of the callback-trust span tag and of the audit trail: kept as "Unsigned".
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name",
        Justification = "Domain term, and the value recorded on spans")]
    Unsigned,
    /// <summary>A signature that does not match, or a stale timestamp (replay): refused with 401.</summary>
    Forged,
}

public sealed record CallbackVerification
{
    public required CallbackTrust Trust { get; init; }
    /// <summary>Why it is not verified, for the log and the 401 body. Never contains secrets.</summary>
    public string? Reason { get; init; }
    /// <summary>The merchant reference the callback is about, when the body could be read.</summary>
    public string? MerchantReference { get; init; }
    /// <summary>What the callback says; null when the body could not be read.</summary>
    public InquiryResult? Report { get; init; }
}

/// <summary>Each gateway adapter verifies its own callbacks.</summary>
public interface IGatewayCallbackVerifier
{
    string Gateway { get; }

    CallbackVerification Verify(GatewayCallbackRequest request);
}
