using Microsoft.Extensions.Options;
using Payments.Contracts;
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

/// <summary>Builds the processor's <see cref="CardCipher"/> from configuration, or an ephemeral one when none is configured.</summary>
public static partial class CardCipherFactory
{
    private const string Key = "Payments:CardEncryption";

    public static CardCipher Create(IOptions<PaymentOptions> options, ILogger logger)
    {
        var settings = options.Value.CardEncryption;
        if (settings.Keys.Count == 0 && string.IsNullOrWhiteSpace(settings.CurrentKeyId))
        {
            LogEphemeralKey(logger);
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

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No card encryption key is configured (Payments:CardEncryption): using an ephemeral key for this process only. " +
        "Charges still queued when it stops cannot be read by the next process and fail without being sent.")]
    private static partial void LogEphemeralKey(ILogger logger);
}
