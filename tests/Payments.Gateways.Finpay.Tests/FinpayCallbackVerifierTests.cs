using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Payments.Gateways.Finpay.Tests;

public sealed class FinpayCallbackVerifierTests
{
    private const string MerchantKey = "sandbox-merchant-key";

    /// <summary>A callback's fields, compact, without the signature: exactly the bytes that are signed.</summary>
    private const string SignedPart =
        """{"responseCode":"2000000","responseMessage":"Success","status":"PAID","order":{"id":"ORD-1001","amount":"150000","currency":"IDR"},"data":{"id":"C-7d3f0c1e","reference":"C-7d3f0c1e","authorizationCode":"082941"}}""";

    /// <summary>HMAC-SHA512(key "sandbox-merchant-key", <see cref="SignedPart"/>), computed outside .NET (Python's hmac module).</summary>
    private const string KnownSignature =
        "406b6c58ff757856746738d934e010d1c0e56b67a7f3b9ad9926c44dc26a2ad9275e5843011add5406b0e06adf9c25ed4f722b0951f903a37647dd61e0ce12b2";

    private static string WithSignature(string compactFields, string signature) =>
        compactFields[..^1] + $",\"signature\":\"{signature}\"}}";

    private static GatewayCallbackRequest Callback(string body) =>
        new("POST", "/callbacks/finpay", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(body));

    private static async Task<CallbackVerification> VerifyAsync(string body, string merchantKey = MerchantKey, string? previousKey = null)
    {
        await using var services = FinpayServices.Create(settings: new Dictionary<string, string?>
        {
            ["Gateways:Finpay:MerchantKey"] = merchantKey,
            ["Gateways:Finpay:PreviousMerchantKey"] = previousKey,
        });
        return services.Verifier.Verify(Callback(body));
    }

    [Fact]
    public async Task During_a_key_rotation_the_previous_key_still_verifies()
    {
        var signedWithOldKey = WithSignature(SignedPart, KnownSignature);

        Assert.Equal(CallbackTrust.Forged, (await VerifyAsync(signedWithOldKey, merchantKey: "rotated-key")).Trust);
        Assert.Equal(CallbackTrust.Verified, (await VerifyAsync(signedWithOldKey, merchantKey: "rotated-key", previousKey: MerchantKey)).Trust);
    }

    [Fact]
    public void The_signature_of_the_known_vector_is_reproduced()
    {
        Assert.Equal(KnownSignature, FinpayCallbackSignature.Compute(MerchantKey, Encoding.UTF8.GetBytes(WithSignature(SignedPart, "x"))));
    }

    [Fact]
    public async Task A_correctly_signed_callback_is_verified_and_reports_the_order_and_status()
    {
        var verification = await VerifyAsync(WithSignature(SignedPart, KnownSignature));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Null(verification.Reason);
        Assert.Equal("ORD-1001", verification.MerchantReference);
        Assert.NotNull(verification.Report);
        Assert.Equal(GatewayPaymentStatus.Succeeded, verification.Report.Status);
        Assert.Equal("C-7d3f0c1e", verification.Report.GatewayTransactionId);
        Assert.Equal("082941", verification.Report.AuthorizationCode);
        Assert.Equal("2000000", verification.Report.ResponseCode);
    }

    [Fact]
    public async Task Hex_case_is_not_significant()
    {
        var verification = await VerifyAsync(WithSignature(SignedPart, KnownSignature.ToUpperInvariant()));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
    }

    [Fact]
    public async Task Whitespace_and_the_signatures_position_do_not_matter()
    {
        var pretty = $$"""
            {
              "responseCode": "2000000",
              "responseMessage": "Success",
              "signature": "{{KnownSignature}}",
              "status": "PAID",
              "order": { "id": "ORD-1001", "amount": "150000", "currency": "IDR" },
              "data": { "id": "C-7d3f0c1e", "reference": "C-7d3f0c1e", "authorizationCode": "082941" }
            }
            """;

        var verification = await VerifyAsync(pretty);

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
    }

    [Fact]
    public async Task A_UTF8_byte_order_mark_before_the_body_is_ignored()
    {
        await using var services = FinpayServices.Create();
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(WithSignature(SignedPart, KnownSignature))).ToArray();

        var verification = services.Verifier.Verify(new GatewayCallbackRequest("POST", "/callbacks/finpay", new Dictionary<string, string>(), body));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
    }

    [Fact]
    public async Task The_property_order_is_part_of_what_is_signed()
    {
        var reordered = SignedPart.Replace("\"responseCode\":\"2000000\",\"responseMessage\":\"Success\"",
            "\"responseMessage\":\"Success\",\"responseCode\":\"2000000\"", StringComparison.Ordinal);

        var verification = await VerifyAsync(WithSignature(reordered, KnownSignature));

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
    }

    [Fact]
    public async Task Non_ASCII_text_is_signed_as_UTF8_whichever_way_it_was_escaped_in_transit()
    {
        const string fields = """{"status":"PAID","order":{"id":"ORD-ü-1","description":"Kopi & <roti> café"}}""";
        var signature = Convert.ToHexStringLower(
            HMACSHA512.HashData(Encoding.UTF8.GetBytes(MerchantKey), Encoding.UTF8.GetBytes(fields)));
        var escapedInTransit = WithSignature(
            """{"status":"PAID","order":{"id":"ORD-\u00fc-1","description":"Kopi \u0026 \u003croti\u003e caf\u00e9"}}""", signature);

        var verification = await VerifyAsync(escapedInTransit);

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Equal("ORD-ü-1", verification.MerchantReference);
    }

    [Theory]
    [InlineData("""{"status":"PAID","order":{"id":"ORD-1001"}}""")]
    [InlineData("""{"status":"PAID","order":{"id":"ORD-1001"},"signature":""}""")]
    [InlineData("""{"status":"PAID","order":{"id":"ORD-1001"},"signature":null}""")]
    public async Task A_callback_without_a_signature_is_unsigned_but_still_says_whom_to_ask_about(string body)
    {
        var verification = await VerifyAsync(body);

        Assert.Equal(CallbackTrust.Unsigned, verification.Trust);
        Assert.Equal("ORD-1001", verification.MerchantReference);
        Assert.Equal(GatewayPaymentStatus.Succeeded, verification.Report?.Status);
    }

    [Fact]
    public async Task A_wrong_signature_is_forged()
    {
        var wrong = KnownSignature[..^2] + (KnownSignature.EndsWith("b2", StringComparison.Ordinal) ? "b3" : "b2");

        var verification = await VerifyAsync(WithSignature(SignedPart, wrong));

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
        Assert.Equal("signature does not match", verification.Reason);
    }

    [Fact]
    public async Task A_tampered_body_is_forged()
    {
        var tampered = SignedPart.Replace("\"status\":\"PAID\"", "\"status\":\"FAILED\"", StringComparison.Ordinal);

        var verification = await VerifyAsync(WithSignature(tampered, KnownSignature));

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
    }

    [Fact]
    public async Task A_body_signed_with_another_key_is_forged()
    {
        var verification = await VerifyAsync(WithSignature(SignedPart, KnownSignature), merchantKey: "another-merchant-key");

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
    }

    [Theory]
    [InlineData("not-hex-at-all")]
    [InlineData("abc")]
    public async Task A_signature_that_is_not_hex_is_forged(string signature)
    {
        var verification = await VerifyAsync(WithSignature(SignedPart, signature));

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
    }

    [Theory]
    [InlineData("signature=abc&status=PAID")]
    [InlineData("[1,2,3]")]
    public async Task A_body_that_is_not_a_JSON_object_is_forged(string body)
    {
        var verification = await VerifyAsync(body);

        Assert.Equal(CallbackTrust.Forged, verification.Trust);
        Assert.Null(verification.Report);
    }

    [Fact]
    public async Task A_declined_payments_callback_reports_failed()
    {
        const string fields = """{"responseCode":"4030005","responseMessage":"Do Not Honor","status":"FAILED","order":{"id":"ORD-9"},"data":{"id":"C-9"}}""";
        var signature = Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(MerchantKey), Encoding.UTF8.GetBytes(fields)));

        var verification = await VerifyAsync(WithSignature(fields, signature));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Equal(GatewayPaymentStatus.Failed, verification.Report?.Status);
        Assert.Equal("4030005", verification.Report?.ResponseCode);
        Assert.Equal("Do Not Honor", verification.Report?.ResponseMessage);
    }
}
