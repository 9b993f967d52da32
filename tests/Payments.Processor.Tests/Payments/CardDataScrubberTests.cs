using System.Text;
using System.Text.Json;
using Payments.Processor.Payments;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class CardDataScrubberTests
{
    private const string Envelope = """
        {"messageId":"0b5e0000-1234-5678-9abc-def012345678","messageType":["urn:message:Payments.Contracts:ChargeRequested"],
         "message":{"paymentId":"6f1c2d3e-0000-4000-8000-000000000001","amount":"abc","currency":"IDR",
           "card":{"number":"4111111111111111","expiry":"12/30","cvv":"123","holderName":"Budi"},
           "customer":{"phone":"4111 1111 1111 1111"}, "accountId":5500005555555559}}
        """;

    [Fact]
    public void A_malformed_ChargeRequested_keeps_only_the_masked_card_number_and_no_cvv_or_expiry()
    {
        var scrubbed = Encoding.UTF8.GetString(CardDataScrubber.ScrubBody(Encoding.UTF8.GetBytes(Envelope)));

        Assert.DoesNotContain("4111111111111111", scrubbed);
        Assert.DoesNotContain("4111 1111 1111 1111", scrubbed);
        Assert.DoesNotContain("5500005555555559", scrubbed);
        Assert.DoesNotContain("cvv", scrubbed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expiry", scrubbed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("12/30", scrubbed);
        Assert.Contains("411111******1111", scrubbed);
        Assert.Contains("550000******5559", scrubbed);
        // Still JSON, with everything that is not card data left as it was, so ops can read it.
        var message = JsonDocument.Parse(scrubbed).RootElement.GetProperty("message");
        Assert.Equal("abc", message.GetProperty("amount").GetString());
        Assert.Equal("Budi", message.GetProperty("card").GetProperty("holderName").GetString());
        Assert.Equal("0b5e0000-1234-5678-9abc-def012345678", JsonDocument.Parse(scrubbed).RootElement.GetProperty("messageId").GetString());
    }

    [Fact]
    public void Text_that_is_not_JSON_has_card_numbers_masked_and_cvv_values_removed()
    {
        var broken = """{"card":{"number":"4111-1111-1111-1111","cvv":"123","expiry":"12/30", "amount": abc""";

        var scrubbed = Encoding.UTF8.GetString(CardDataScrubber.ScrubBody(Encoding.UTF8.GetBytes(broken)));

        Assert.DoesNotContain("4111-1111-1111-1111", scrubbed);
        Assert.Contains("411111******1111", scrubbed);
        Assert.DoesNotContain("\"123\"", scrubbed);
        Assert.DoesNotContain("12/30", scrubbed);
        Assert.Contains("\"amount\": abc", scrubbed);
    }

    [Fact]
    public void A_body_that_is_not_text_is_not_kept()
    {
        byte[] binary = [0xff, 0xfe, 0x34, 0x31, 0x31, 0x31, 0xc3];

        var scrubbed = Encoding.UTF8.GetString(CardDataScrubber.ScrubBody(binary));

        Assert.Equal("[7 bytes of non-UTF-8 content removed]", scrubbed);
    }

    [Theory]
    [InlineData("value too long for type character varying(100)", "value too long for type character varying(100)")]
    [InlineData("rejected card 4111111111111111 at 2026-12-03T12:56:43.1234567Z", "rejected card 411111******1111 at 2026-12-03T12:56:43.1234567Z")]
    [InlineData("order 123456789012", "order 123456789012")]
    public void Free_text_keeps_short_numbers_and_masks_card_like_runs(string text, string expected) =>
        Assert.Equal(expected, CardDataScrubber.ScrubText(text));
}
