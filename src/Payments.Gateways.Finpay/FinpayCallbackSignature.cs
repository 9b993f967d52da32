using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Payments.Gateways.Finpay;

/// <summary>
/// Finpay's callback signature: the <c>signature</c> field = lowercase hex HMAC-SHA512, keyed with the merchant key
/// (UTF-8), over the JSON encoding of all the other fields.
/// <para>
/// "The JSON encoding" is defined here (Finpay does not say) as: the top-level object with its <c>signature</c> property
/// removed, written compactly (no whitespace) with its properties in the order they arrived, nested values as they
/// were, number literals verbatim, and strings escaped minimally (only <c>"</c>, <c>\</c> and control characters;
/// non-ASCII written as UTF-8). The sandbox signs exactly this form.
/// </para>
/// </summary>
public static class FinpayCallbackSignature
{
    public const string Field = "signature";

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static readonly JsonWriterOptions Compact = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The bytes that are signed: the body without its signature field.</summary>
    /// <exception cref="JsonException">The body is not a JSON object.</exception>
    public static byte[] SignedContent(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(WithoutByteOrderMark(body));
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new JsonException("A Finpay callback body must be a JSON object.");

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals(Field))
                    continue;
                property.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A UTF-8 byte order mark is not part of the JSON.</summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> body) =>
        body.StartsWith(Utf8ByteOrderMark) ? body[Utf8ByteOrderMark.Length..] : body;

    /// <summary>Lowercase hex HMAC-SHA512 of <see cref="SignedContent"/>.</summary>
    public static string Compute(string merchantKey, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(merchantKey), SignedContent(body)));

    /// <summary>Compares in constant time; hex case is not significant; anything that is not hex does not match.</summary>
    public static bool Matches(string expectedHex, string receivedHex)
    {
        byte[] expected, received;
        try
        {
            expected = Convert.FromHexString(expectedHex);
            received = Convert.FromHexString(receivedHex.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }
}
