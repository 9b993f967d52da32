using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Payments.Gateways.Singapay;

/// <summary>
/// The body normalization Singapay signs callbacks over: object keys sorted by their UTF-8 bytes at every level,
/// compact, unicode and slashes left unescaped. It mirrors PHP's
/// <c>json_encode(..., JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)</c>: only '"', '\\' and control characters
/// are escaped (the short forms \b \f \n \r \t, else \u00xx in lowercase hex), plus U+2028/U+2029, which PHP keeps
/// escaping unless JSON_UNESCAPED_LINE_TERMINATORS is also given. Numbers keep their original text.
/// </summary>
internal static class CanonicalJson
{
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static string Normalize(ReadOnlySpan<byte> utf8Json)
    {
        if (IsBlank(utf8Json))
            return "";
        using var document = JsonDocument.Parse(utf8Json.ToArray());
        var output = new StringBuilder(utf8Json.Length);
        Write(document.RootElement, output);
        return output.ToString();
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return false;
        }
        return true;
    }

    private static void Write(JsonElement element, StringBuilder output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // A repeated key keeps its last value, as a PHP array would.
                var properties = element.EnumerateObject()
                    .GroupBy(p => p.Name, StringComparer.Ordinal)
                    .Select(g => g.Last())
                    .OrderBy(p => p.Name, Utf8ByteOrder.Instance);
                output.Append('{');
                var first = true;
                foreach (var property in properties)
                {
                    if (!first)
                        output.Append(',');
                    first = false;
                    WriteString(property.Name, output);
                    output.Append(':');
                    Write(property.Value, output);
                }
                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                        output.Append(',');
                    Write(item, output);
                }
                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            default:
                // Numbers, true, false, null: their text is already compact.
                output.Append(element.GetRawText());
                break;
        }
    }

    private static void WriteString(string value, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case < ' ' or '\u2028' or '\u2029':
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: output.Append(c); break;
            }
        }
        output.Append('"');
    }

    private sealed class Utf8ByteOrder : IComparer<string>
    {
        public static readonly Utf8ByteOrder Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
    }
}
