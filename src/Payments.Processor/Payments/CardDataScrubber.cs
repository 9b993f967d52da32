using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Payments.Contracts;

namespace Payments.Processor.Payments;

/// <summary>
/// Removes card data from anything we keep about a message we could not process (error and skipped queues, logs):
/// every card-like digit run (13 or more digits, or a card number grouped by spaces or dashes) is masked as
/// 411111******1111, and CVV and expiry fields are removed. It works on text that is not even valid JSON, because a
/// body that failed to deserialize is exactly the one we cannot trust to be well formed.
/// </summary>
public static partial class CardDataScrubber
{
    private static readonly HashSet<string> SecretFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "cvv", "cvv2", "cvc", "cvc2", "cid", "securityCode", "cardSecurityCode",
        "expiry", "expiryDate", "expiryMonth", "expiryYear", "expirationDate", "expirationMonth", "expirationYear",
        "exp", "expMonth", "expYear", "card_exp", "cardExpiry",
    };

    /// <summary>A JSON body with card numbers masked and secret fields removed; text that is not JSON is scrubbed as text.</summary>
    public static byte[] ScrubBody(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            // Not text at all: nothing of it can be shown to be free of card data, so none of it is kept.
            return Encoding.UTF8.GetBytes($"[{body.Length} bytes of non-UTF-8 content removed]");
        }
        return Encoding.UTF8.GetBytes(ScrubJsonOrText(text));
    }

    public static string ScrubJsonOrText(string text)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return ScrubText(text);
        }
        if (root is null)
            return ScrubText(text);
        ScrubNode(root);
        // The final text pass catches digit runs the tree walk cannot see (inside keys, for instance).
        return ScrubText(root.ToJsonString());
    }

    /// <summary>Free text (an exception message, a header): card-like digit runs masked, secret JSON-ish fields blanked.</summary>
    public static string ScrubText(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        var masked = CardLikeDigits().Replace(text, m => CardMask.Mask(m.Value));
        return SecretFieldValue().Replace(masked, m => SecretFields.Contains(m.Groups["name"].Value)
            ? $"{m.Groups["prefix"].Value}\"[removed]\""
            : m.Value);
    }

    public static bool ContainsCardLikeDigits(string text) => CardLikeDigits().IsMatch(text);

    private static void ScrubNode(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).Where(SecretFields.Contains).ToList())
                    obj.Remove(name);
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && Replacement(value) is { } replacement)
                        obj[name] = replacement;
                    else if (child is not null)
                        ScrubNode(child);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && Replacement(value) is { } replacement)
                        array[i] = replacement;
                    else if (array[i] is { } child)
                        ScrubNode(child);
                }
                break;
        }
    }

    private static JsonValue? Replacement(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                var scrubbed = ScrubText(text);
                return ReferenceEquals(text, scrubbed) || text == scrubbed ? null : JsonValue.Create(scrubbed);
            case JsonValueKind.Number:
                var raw = value.ToJsonString();
                return CardLikeDigits().IsMatch(raw) ? JsonValue.Create(CardMask.Mask(raw)) : null;
            default:
                return null;
        }
    }

    public static string Describe(Exception exception)
    {
        var root = exception.GetBaseException();
        return string.Create(CultureInfo.InvariantCulture, $"{root.GetType().Name}: {ScrubText(root.Message)}");
    }

    /// <summary>
    /// A run of 13 or more digits; or a card number written in groups (4-4-4-1..7, Amex 4-6-5) with spaces or dashes,
    /// not part of a longer token (so a GUID's digit-only groups are left alone).
    /// </summary>
    [GeneratedRegex(@"(?<!\d)\d{13,}(?!\d)|(?<![\w-])(?:\d{4}(?<sep>[ -])\d{4}\k<sep>\d{4}\k<sep>\d{1,7}|\d{4}(?<amex>[ -])\d{6}\k<amex>\d{5})(?![\w-])",
        RegexOptions.CultureInvariant)]
    private static partial Regex CardLikeDigits();

    /// <summary>"name": value, in text that may not parse as JSON (quoted or bare value, escaped quotes allowed).</summary>
    [GeneratedRegex("""(?<prefix>"(?<name>[A-Za-z_0-9]+)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[^,}\]\s]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex SecretFieldValue();
}
