using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Gateways.Singapay;

/// <summary>Singapay's two signatures, as pure functions (see shared/gateways/singapay.md).</summary>
public static class SingapaySignatures
{
    /// <summary>Western Indonesia Time (WIB). Indonesia has no daylight saving, so a fixed offset is exact.</summary>
    public static readonly TimeSpan JakartaOffset = TimeSpan.FromHours(7);

    /// <summary>The calendar date in Jakarta: between 17:00 and 24:00 UTC it is already the next day there.</summary>
    public static DateOnly JakartaDate(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(JakartaOffset).DateTime);

    /// <summary>
    /// X-Signature of the access-token request: lowercase hex HMAC-SHA512 keyed with the client secret over
    /// "{client_id}_{client_secret}_{YYYYMMDD}", the date being today in Jakarta.
    /// </summary>
    public static string AccessTokenSignature(string clientId, string clientSecret, DateTimeOffset now)
    {
        var date = JakartaDate(now).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return HmacSha512Hex(clientSecret, $"{clientId}_{clientSecret}_{date}");
    }

    /// <summary>The callback body as Singapay hashes it: keys sorted at every level, compact, unicode and '/' unescaped.</summary>
    /// <exception cref="System.Text.Json.JsonException">The body is not JSON.</exception>
    public static string NormalizeBody(ReadOnlySpan<byte> body) => CanonicalJson.Normalize(body);

    /// <summary>"POST:{path and query}:{bearer token}:{sha256 hex of the normalized body}:{X-Timestamp}".</summary>
    public static string CallbackStringToSign(string pathAndQuery, string bearerToken, ReadOnlySpan<byte> body, string timestamp)
    {
        var bodyDigest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeBody(body))));
        return $"POST:{pathAndQuery}:{bearerToken}:{bodyDigest}:{timestamp}";
    }

    /// <summary>X-Signature of a callback: lowercase hex HMAC-SHA512 of <see cref="CallbackStringToSign"/>, keyed with the client secret.</summary>
    public static string CallbackSignature(
        string clientSecret, string pathAndQuery, string bearerToken, ReadOnlySpan<byte> body, string timestamp) =>
        HmacSha512Hex(clientSecret, CallbackStringToSign(pathAndQuery, bearerToken, body, timestamp));

    internal static string HmacSha512Hex(string key, string message) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message)));
}
