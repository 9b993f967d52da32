using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Payments.Contracts;

namespace Payments.Gateways.Singapay;

/// <summary>
/// Verifies Singapay callbacks: X-Signature = hex HMAC-SHA512(client secret,
/// "POST:{path?query}:{bearer token}:{sha256 hex of the normalized body}:{X-Timestamp}"), compared in constant time,
/// with X-Timestamp (Unix seconds) within <see cref="SingapayOptions.CallbackTimestampTolerance"/> of now.
/// <para>
/// Singapay documents no card webhook; the body is assumed to follow its other products' format:
/// <c>{"status":200,"success":true,"event":"card.payment.status","timestamp":"d M Y H:i:s","data":{"transaction_id",
/// "reference_no","amount","status","provider_auth_no","card_masked","provider_result_code","provider_result_message",
/// "completed_at"|"failed_at"}}</c>, data carrying the same fields as an inquiry answer.
/// </para>
/// </summary>
public sealed class SingapayCallbackVerifier(IOptions<SingapayOptions> options, TimeProvider timeProvider) : IGatewayCallbackVerifier
{
    public string Gateway => PaymentGateways.Singapay;

    public CallbackVerification Verify(GatewayCallbackRequest request)
    {
        var report = ReadReport(request.Body);
        var signature = Header(request, "X-Signature");
        if (string.IsNullOrWhiteSpace(signature))
            return Result(CallbackTrust.Unsigned, "no X-Signature header", report);

        var timestamp = Header(request, "X-Timestamp");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
            return Result(CallbackTrust.Forged, "missing or malformed X-Timestamp", report);
        var sentAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, 0, 253402300799));
        if ((timeProvider.GetUtcNow() - sentAt).Duration() > options.Value.CallbackTimestampTolerance)
            return Result(CallbackTrust.Forged, "X-Timestamp outside the allowed window (replay?)", report);

        var authorization = Header(request, "Authorization");
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Result(CallbackTrust.Forged, "missing Authorization bearer token", report);
        var bearerToken = authorization["Bearer ".Length..].Trim();

        try
        {
            foreach (var secret in SecretsInUse())
            {
                var expected = SingapaySignatures.CallbackSignature(secret, request.PathAndQuery, bearerToken, request.Body, timestamp!);
                if (SignaturesMatch(expected, signature.Trim()))
                    return Result(CallbackTrust.Verified, null, report);
            }
        }
        catch (JsonException)
        {
            return Result(CallbackTrust.Forged, "the body is not JSON, so its signature cannot be checked", report);
        }

        return Result(CallbackTrust.Forged, "X-Signature does not match", report);
    }

    /// <summary>The client secret, then, during a rotation, the previous one.</summary>
    private IEnumerable<string> SecretsInUse()
    {
        yield return options.Value.ClientSecret;
        if (!string.IsNullOrWhiteSpace(options.Value.PreviousClientSecret))
            yield return options.Value.PreviousClientSecret;
    }

    /// <summary>Compares the raw bytes in constant time; hex case is not significant.</summary>
    private static bool SignaturesMatch(string expectedHex, string receivedHex)
    {
        var expected = Encoding.ASCII.GetBytes(expectedHex);
        var received = Encoding.ASCII.GetBytes(receivedHex.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    /// <summary>What the body says, read even when the callback is unsigned so the processor knows whom to inquire about.</summary>
    private static CallbackReport? ReadReport(byte[] body)
    {
        try
        {
            var callback = JsonSerializer.Deserialize<SingapayCallbackBody>(body, SingapayJson.Options);
            return callback?.Data is { } data
                ? new CallbackReport(data.ReferenceNo, SingapayGateway.ToInquiryResult(data))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CallbackVerification Result(CallbackTrust trust, string? reason, CallbackReport? report) => new()
    {
        Trust = trust,
        Reason = reason,
        Report = report?.Report,
        MerchantReference = report?.MerchantReference,
    };

    private sealed record CallbackReport(string? MerchantReference, InquiryResult Report);

    private static string? Header(GatewayCallbackRequest request, string name)
    {
        if (request.Headers.TryGetValue(name, out var value))
            return value;
        foreach (var (key, headerValue) in request.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return headerValue;
        }
        return null;
    }
}
