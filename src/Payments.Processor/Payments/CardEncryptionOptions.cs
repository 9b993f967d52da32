using Payments.Contracts;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;

namespace Payments.Processor.Payments;

/// <summary>
/// Bound from "Payments:CardEncryption": the AES-256 keys that seal card data crossing the bus.
/// <c>Keys:&lt;id&gt;</c> is a base64 32-byte key; <c>CurrentKeyId</c> names the one that seals. Earlier keys stay
/// listed until no message sealed with them can still be in flight.
/// </summary>
public sealed class CardEncryptionOptions
{
    public string? CurrentKeyId { get; set; }

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Builds the processor's <see cref="CardCipher"/> from configuration. Without keys, the durable processor refuses to
/// start: a charge sealed with a key only this process knows could not be opened after a restart. The embedded default
/// makes up a key for the run: its in-memory bus loses every message with the process anyway.
/// </summary>
public static class CardCipherFactory
{
    private const string Key = "Payments:CardEncryption";

    public static CardCipher Create(CardEncryptionOptions settings, bool durable)
    {
        if (settings.Keys.Count == 0 && string.IsNullOrWhiteSpace(settings.CurrentKeyId))
        {
            if (durable)
                throw new InvalidSettingException($"{Key}:Keys", "is required on a durable processor (RabbitMq and a database): " +
                    $"charges queued with a key only this process knows cannot be read after a restart; set a base64 32-byte key, " +
                    $"e.g. Payments__CardEncryption__Keys__k1=$(openssl rand -base64 32) and Payments__CardEncryption__CurrentKeyId=k1");
            return new CardCipher("ephemeral-" + Guid.NewGuid().ToString("N")[..8], CardCipher.NewKey());
        }

        if (string.IsNullOrWhiteSpace(settings.CurrentKeyId))
            throw new InvalidSettingException($"{Key}:CurrentKeyId", "is required when keys are configured");
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in settings.Keys)
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(value ?? "");
            }
            catch (FormatException)
            {
                throw new InvalidSettingException($"{Key}:Keys:{id}", "is not base64");
            }
            if (key.Length != CardCipher.KeySizeBytes)
                throw new InvalidSettingException($"{Key}:Keys:{id}", $"must be {CardCipher.KeySizeBytes} bytes (base64), for AES-256");
            keys[id] = key;
        }
        if (!keys.ContainsKey(settings.CurrentKeyId))
            throw new InvalidSettingException($"{Key}:CurrentKeyId", $"'{settings.CurrentKeyId}' has no key under {Key}:Keys");
        return new CardCipher(settings.CurrentKeyId, keys);
    }
}
