using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Payments.Contracts;

/// <summary>
/// Seals and opens card data with AES-256-GCM. A key ring holds the current key (used to seal) and earlier ones
/// (still accepted to open), each under an id carried in <see cref="EncryptedCard.KeyId"/>. The key id is bound to the
/// ciphertext as associated data, so a message cannot be relabelled to another key.
/// </summary>
public sealed class CardCipher
{
    public const int KeySizeBytes = 32;
    private const int NonceSizeBytes = 12;
    private const int TagSizeBytes = 16;

    private readonly Dictionary<string, byte[]> _keys;

    public CardCipher(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currentKeyId);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (id, key) in keys)
        {
            if (key is not { Length: KeySizeBytes })
                throw new ArgumentException($"Card encryption key '{id}' must be {KeySizeBytes} bytes (AES-256).", nameof(keys));
        }
        if (!keys.ContainsKey(currentKeyId))
            throw new ArgumentException($"The current card encryption key '{currentKeyId}' is not among the keys.", nameof(currentKeyId));
        CurrentKeyId = currentKeyId;
        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>A cipher with one key under one id.</summary>
    public CardCipher(string keyId, byte[] key) : this(keyId, new Dictionary<string, byte[]> { [keyId] = key })
    {
    }

    public string CurrentKeyId { get; }

    /// <summary>A fresh random 256-bit key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySizeBytes);

    /// <summary>Seals the card with the current key.</summary>
    public EncryptedCard Encrypt(CardDetails card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(card);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(NonceSizeBytes);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[TagSizeBytes];
            using var aes = new AesGcm(_keys[CurrentKeyId], TagSizeBytes);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(CurrentKeyId));
            return new EncryptedCard
            {
                KeyId = CurrentKeyId,
                Nonce = Convert.ToBase64String(nonce),
                Ciphertext = Convert.ToBase64String(ciphertext),
                Tag = Convert.ToBase64String(tag),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Opens a sealed card, or throws <see cref="CardDecryptionException"/> saying why it cannot.</summary>
    public CardDetails Decrypt(EncryptedCard sealedCard)
    {
        ArgumentNullException.ThrowIfNull(sealedCard);
        if (!_keys.TryGetValue(sealedCard.KeyId ?? "", out var key))
            throw new CardDecryptionException($"key id '{sealedCard.KeyId}' is not known to this processor");
        var nonce = FromBase64(sealedCard.Nonce, nameof(EncryptedCard.Nonce));
        var ciphertext = FromBase64(sealedCard.Ciphertext, nameof(EncryptedCard.Ciphertext));
        var tag = FromBase64(sealedCard.Tag, nameof(EncryptedCard.Tag));
        if (nonce.Length != NonceSizeBytes)
            throw new CardDecryptionException($"Nonce must be {NonceSizeBytes} bytes");
        if (tag.Length != TagSizeBytes)
            throw new CardDecryptionException($"Tag must be {TagSizeBytes} bytes");

        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, TagSizeBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData(sealedCard.KeyId!));
            return JsonSerializer.Deserialize<CardDetails>(plaintext)
                   ?? throw new CardDecryptionException("the sealed content is not a card");
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CardDecryptionException("it was altered or sealed with a different key (authentication failed)");
        }
        catch (JsonException)
        {
            throw new CardDecryptionException("the sealed content is not a card");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes("payments-card:" + keyId);

    private static byte[] FromBase64(string? value, string field)
    {
        try
        {
            return Convert.FromBase64String(value ?? "");
        }
        catch (FormatException)
        {
            throw new CardDecryptionException($"{field} is not base64");
        }
    }
}

/// <summary>An <see cref="EncryptedCard"/> that cannot be opened. The message never contains card data.</summary>
public sealed class CardDecryptionException : Exception
{
    public CardDecryptionException()
    {
    }

    public CardDecryptionException(string message) : base(message)
    {
    }

    public CardDecryptionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
