namespace Payments.Contracts;

/// <summary>
/// A <see cref="CardDetails"/> sealed with AES-256-GCM (see <see cref="CardCipher"/>). Only the holder of the key named
/// <see cref="KeyId"/> can read it, and any change to it is detected. All byte fields are base64.
/// </summary>
public sealed record EncryptedCard
{
    /// <summary>Which key sealed it, so keys can rotate while messages are in flight.</summary>
    public string KeyId { get; init; } = "";
    /// <summary>12 random bytes, never reused with the same key.</summary>
    public string Nonce { get; init; } = "";
    public string Ciphertext { get; init; } = "";
    /// <summary>The 16-byte GCM authentication tag.</summary>
    public string Tag { get; init; } = "";

    public override string ToString() => $"EncryptedCard {{ KeyId = {KeyId} }}";
}
