using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Payments.Gateways.Singapay.Tests.Support;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

public sealed class SingapayCallbackVerifierTests
{
    private const string Secret = "callback-secret";
    private const string Path = "/callbacks/singapay?source=card";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 3, 15, 0, TimeSpan.Zero);

    // Keys out of order, nested, with unicode escaped and a slash escaped, as a PHP encoder without flags would send it.
    private const string Body =
        """{"timestamp":"02 Mar 2026 10:15:00","status":200,"success":true,"event":"card.payment.status","data":{"status":"success","reference_no":"ORD\/2026\/001","transaction_id":"9901JAB3CD4E5F6G7H8J9K0M1N2","amount":100000,"provider_auth_no":"123456","card_masked":"411111******1111","provider_result_code":"0000","provider_result_message":"Approved \u2013 caf\u00e9","completed_at":"2026-03-02 10:15:00"}}""";

    private const string NormalizedBody =
        """{"data":{"amount":100000,"card_masked":"411111******1111","completed_at":"2026-03-02 10:15:00","provider_auth_no":"123456","provider_result_code":"0000","provider_result_message":"Approved – café","reference_no":"ORD/2026/001","status":"success","transaction_id":"9901JAB3CD4E5F6G7H8J9K0M1N2"},"event":"card.payment.status","status":200,"success":true,"timestamp":"02 Mar 2026 10:15:00"}""";

    private static SingapayCallbackVerifier Verifier(DateTimeOffset now) =>
        new(Options.Create(new SingapayOptions { ClientSecret = Secret }), new FakeTimeProvider(now));

    /// <summary>Signs independently of SingapaySignatures: the normalized body is written out by hand above.</summary>
    private static string Sign(string token, string timestamp, string normalizedBody = NormalizedBody, string path = Path)
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedBody)));
        var message = $"POST:{path}:{token}:{bodyHash}:{timestamp}";
        return Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(message)));
    }

    private static GatewayCallbackRequest Request(Dictionary<string, string> headers, string body = Body, string path = Path) =>
        new("POST", path, headers, Encoding.UTF8.GetBytes(body));

    private static Dictionary<string, string> SignedHeaders(DateTimeOffset sentAt, string? signature = null)
    {
        var timestamp = sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer random-token-1",
            ["X-Timestamp"] = timestamp,
            ["X-Signature"] = signature ?? Sign("random-token-1", timestamp),
            ["X-PARTNER-ID"] = "sandbox-api-key",
            ["User-Agent"] = "SingaPaymentGateway/1.0",
        };
    }

    [Fact]
    public void The_normalized_body_matches_the_hand_written_one()
    {
        Assert.Equal(NormalizedBody, SingapaySignatures.NormalizeBody(Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void A_correctly_signed_fresh_callback_is_verified_and_reports_the_payment()
    {
        var verification = Verifier(Now).Verify(Request(SignedHeaders(Now.AddSeconds(-30))));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Null(verification.Reason);
        Assert.Equal("ORD/2026/001", verification.MerchantReference);
        Assert.NotNull(verification.Report);
        Assert.Equal(GatewayPaymentStatus.Succeeded, verification.Report.Status);
        Assert.Equal("9901JAB3CD4E5F6G7H8J9K0M1N2", verification.Report.GatewayTransactionId);
        Assert.Equal("123456", verification.Report.AuthorizationCode);
        Assert.Equal("411111******1111", verification.Report.CardMasked);
    }

    [Fact]
    public void Header_names_are_matched_case_insensitively()
    {
        var headers = SignedHeaders(Now).ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);

        Assert.Equal(CallbackTrust.Verified, Verifier(Now).Verify(Request(headers)).Trust);
    }

    [Fact]
    public void A_callback_without_signature_headers_is_unsigned_but_still_names_the_payment()
    {
        var verification = Verifier(Now).Verify(Request(new Dictionary<string, string> { ["User-Agent"] = "SingaPaymentGateway/1.0" }));

        Assert.Equal(CallbackTrust.Unsigned, verification.Trust);
        Assert.Equal("ORD/2026/001", verification.MerchantReference);
        Assert.Equal(GatewayPaymentStatus.Succeeded, verification.Report?.Status);
    }

    [Fact]
    public void A_wrong_signature_is_forged()
    {
        var headers = SignedHeaders(Now, signature: Sign("another-token", Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

        var verification = Verifier(Now).Verify(Request(headers));

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
        Assert.Contains("X-Signature", verification.Reason);
    }

    [Fact]
    public void A_tampered_body_is_forged()
    {
        var tampered = Body.Replace("\"status\":\"success\"", "\"status\":\"failed\"", StringComparison.Ordinal);

        Assert.Equal(CallbackTrust.Forged, Verifier(Now).Verify(Request(SignedHeaders(Now), tampered)).Trust);
    }

    [Fact]
    public void A_signature_for_another_path_is_forged()
    {
        Assert.Equal(CallbackTrust.Forged, Verifier(Now).Verify(Request(SignedHeaders(Now), path: "/callbacks/singapay")).Trust);
    }

    [Fact]
    public void A_correctly_signed_but_stale_callback_is_forged_as_a_replay()
    {
        var sentAt = Now.AddSeconds(-301);

        var verification = Verifier(Now).Verify(Request(SignedHeaders(sentAt)));

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
        Assert.Contains("X-Timestamp", verification.Reason);
    }

    [Fact]
    public void A_timestamp_too_far_in_the_future_is_forged()
    {
        Assert.Equal(CallbackTrust.Forged, Verifier(Now).Verify(Request(SignedHeaders(Now.AddMinutes(10)))).Trust);
    }

    [Fact]
    public void A_signed_callback_without_timestamp_is_forged()
    {
        var headers = SignedHeaders(Now);
        headers.Remove("X-Timestamp");

        Assert.Equal(CallbackTrust.Forged, Verifier(Now).Verify(Request(headers)).Trust);
    }

    [Fact]
    public void Uppercase_hex_in_the_signature_is_accepted()
    {
        var headers = SignedHeaders(Now);
        headers["X-Signature"] = headers["X-Signature"].ToUpperInvariant();

        Assert.Equal(CallbackTrust.Verified, Verifier(Now).Verify(Request(headers)).Trust);
    }

    [Theory]
    [InlineData("failed", GatewayPaymentStatus.Failed)]
    [InlineData("pending", GatewayPaymentStatus.Pending)]
    [InlineData("refunded", GatewayPaymentStatus.Cancelled)]
    public void The_report_carries_the_callback_status(string status, GatewayPaymentStatus expected)
    {
        var body = Body.Replace("\"status\":\"success\"", $"\"status\":\"{status}\"", StringComparison.Ordinal);
        var normalized = NormalizedBody.Replace("\"status\":\"success\"", $"\"status\":\"{status}\"", StringComparison.Ordinal);
        var timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = SignedHeaders(Now, Sign("random-token-1", timestamp, normalized));

        var verification = Verifier(Now).Verify(Request(headers, body));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Equal(expected, verification.Report?.Status);
    }
}
