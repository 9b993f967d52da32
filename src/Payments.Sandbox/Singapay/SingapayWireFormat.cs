using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Sandbox.Singapay;

/// <summary>
/// The sandbox's own copy of Singapay's wire rules (signatures, body normalization, the Jakarta date, id formats).
/// Deliberately independent of the client adapter, so that a mistake in one shows up as a mismatch with the other.
/// </summary>
internal static class SingapayWireFormat
{
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    public static DateTimeOffset InJakarta(DateTimeOffset now) => now.ToOffset(Wib);

    public static string TokenSignature(string clientId, string clientSecret, DateTimeOffset now) =>
        HmacHex(clientSecret, $"{clientId}_{clientSecret}_{InJakarta(now):yyyyMMdd}");

    public static string CallbackSignature(string clientSecret, string pathAndQuery, string token, string body, string timestamp)
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(JsonNode.Parse(body)))));
        return HmacHex(clientSecret, $"POST:{pathAndQuery}:{token}:{bodyHash}:{timestamp}");
    }

    /// <summary>Keys in byte order at every level; compact; only quotes, backslashes and control characters escaped (PHP's JSON_UNESCAPED_UNICODE|JSON_UNESCAPED_SLASHES).</summary>
    public static string Normalize(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject obj => "{" + string.Join(",", obj
            .OrderBy(p => Encoding.UTF8.GetBytes(p.Key), ByteOrder.Instance)
            .Select(p => Quote(p.Key) + ":" + Normalize(p.Value))) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Normalize)) + "]",
        JsonValue value when value.TryGetValue<string>(out var text) => Quote(text),
        _ => node.ToJsonString(),
    };

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>"99" + a ULID, as Singapay's transaction ids look.</summary>
    public static string NewTransactionId(DateTimeOffset now) => "99" + NewUlid(now);

    public static string NewProviderTransactionId(DateTimeOffset now) =>
        $"IONPAYTEST01{InJakarta(now):yyyyMMdd}{RandomNumberGenerator.GetInt32(0, 1_000_000_000):D10}";

    public static string NewAuthorizationNumber() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Singapay's callback envelope timestamp, PHP "d M Y H:i:s" in Jakarta time.</summary>
    public static string CallbackTimestamp(DateTimeOffset now) => InJakarta(now).ToString("dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset? at) =>
        at is { } value ? InJakarta(value).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    private static string HmacHex(string key, string message) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message)));

    private static string NewUlid(DateTimeOffset now)
    {
        const string crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        Span<byte> bytes = stackalloc byte[16];
        // 48 bits of Unix milliseconds, then 80 random bits.
        BinaryPrimitives.WriteInt64BigEndian(bytes, now.ToUnixTimeMilliseconds() << 16);
        RandomNumberGenerator.Fill(bytes[6..]);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        var chars = new char[26];
        for (var i = 25; i >= 0; i--, value >>= 5)
            chars[i] = crockford[(int)(value & 31)];
        return new string(chars);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
