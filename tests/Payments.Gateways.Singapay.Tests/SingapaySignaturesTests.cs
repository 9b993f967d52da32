using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

public sealed class SingapaySignaturesTests
{
    private const string ClientId = "client-123";
    private const string ClientSecret = "s3cr3t";

    private static string ExpectedHmac(string key, string message) =>
        Convert.ToHexStringLower(new HMACSHA512(Encoding.UTF8.GetBytes(key)).ComputeHash(Encoding.UTF8.GetBytes(message)));

    [Fact]
    public void At_18_30_UTC_the_token_signature_uses_the_next_day_because_it_is_already_tomorrow_in_Jakarta()
    {
        var now = new DateTimeOffset(2026, 3, 1, 18, 30, 0, TimeSpan.Zero);

        var signature = SingapaySignatures.AccessTokenSignature(ClientId, ClientSecret, now);

        Assert.Equal(new DateOnly(2026, 3, 2), SingapaySignatures.JakartaDate(now));
        Assert.Equal(ExpectedHmac(ClientSecret, "client-123_s3cr3t_20260302"), signature);
        Assert.NotEqual(ExpectedHmac(ClientSecret, "client-123_s3cr3t_20260301"), signature);
    }

    [Theory]
    [InlineData("2026-03-01T16:59:59Z", "20260301")]
    [InlineData("2026-03-01T17:00:00Z", "20260302")]
    [InlineData("2026-03-02T06:59:59+07:00", "20260302")]
    [InlineData("2025-12-31T17:00:00Z", "20260101")]
    public void The_token_signature_date_is_the_calendar_date_in_Jakarta(string instant, string jakartaDate)
    {
        var now = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(ExpectedHmac(ClientSecret, $"{ClientId}_{ClientSecret}_{jakartaDate}"),
            SingapaySignatures.AccessTokenSignature(ClientId, ClientSecret, now));
    }

    [Fact]
    public void The_token_signature_is_128_lowercase_hex_characters()
    {
        var signature = SingapaySignatures.AccessTokenSignature(ClientId, ClientSecret, DateTimeOffset.UnixEpoch);

        Assert.Matches("^[0-9a-f]{128}$", signature);
    }

    [Fact]
    public void Normalization_sorts_keys_at_every_level_and_leaves_unicode_and_slashes_unescaped()
    {
        var body = Encoding.UTF8.GetBytes(
            """{ "zeta": {"b": 2, "a": "caf\u00e9 / https://x.id/p"}, "alpha": [ {"y": true, "x": null} ], "Beta": "\u65e5\u672c" }""");

        var normalized = SingapaySignatures.NormalizeBody(body);

        Assert.Equal("""{"Beta":"日本","alpha":[{"x":null,"y":true}],"zeta":{"a":"café / https://x.id/p","b":2}}""", normalized);
    }

    [Fact]
    public void Normalization_escapes_only_quotes_backslashes_and_control_characters_and_keeps_number_text()
    {
        var body = Encoding.UTF8.GetBytes("""{"s":"a\"b\\c\nd\u0001<&>'","n":100000.50,"e":1e3}""");

        var normalized = SingapaySignatures.NormalizeBody(body);

        Assert.Equal("""{"e":1e3,"n":100000.50,"s":"a\"b\\c\nd\u0001<&>'"}""", normalized);
    }

    [Fact]
    public void Keys_are_ordered_by_their_UTF8_bytes()
    {
        // U+FF21 (EF BC A1 in UTF-8) sorts before U+1F600 (F0 9F 98 80) by bytes, but after it in UTF-16 order.
        var body = Encoding.UTF8.GetBytes("{\"\U0001F600\":1,\"\uFF21\":2,\"a\":3}");

        Assert.Equal("{\"a\":3,\"\uFF21\":2,\"\U0001F600\":1}", SingapaySignatures.NormalizeBody(body));
    }

    [Fact]
    public void The_callback_signature_is_HMAC_SHA512_with_the_client_secret_over_the_documented_string()
    {
        const string body = """{"success":true,"data":{"status":"success","reference_no":"ORD/1","card_masked":"411111******1111"},"status":200}""";
        const string normalized = """{"data":{"card_masked":"411111******1111","reference_no":"ORD/1","status":"success"},"status":200,"success":true}""";
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        var expected = ExpectedHmac(ClientSecret, $"POST:/callbacks/singapay?x=1:random-token:{bodyHash}:1772389800");

        var signature = SingapaySignatures.CallbackSignature(
            ClientSecret, "/callbacks/singapay?x=1", "random-token", Encoding.UTF8.GetBytes(body), "1772389800");

        Assert.Equal(expected, signature);
    }
}
