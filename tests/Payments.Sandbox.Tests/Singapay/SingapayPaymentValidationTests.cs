using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Payments.Sandbox.Tests.Singapay;

/// <summary>One test per field rule of the seed page (POST /api/v2.0/card/{account_id}/payment).</summary>
public sealed class SingapayPaymentValidationTests(SingapaySandboxFixture sandbox) : IClassFixture<SingapaySandboxFixture>
{
    private static string JakartaYearMonth(int monthsFromNow) =>
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).AddMonths(monthsFromNow).ToString("yyMM", CultureInfo.InvariantCulture);

    private async Task<Reply> PayWith(string field, JsonNode? value, bool remove = false)
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        if (remove)
            payment.Remove(field);
        else
            payment[field] = value;
        return await sandbox.PayAsync(payment);
    }

    private static void AssertFieldError(Reply reply, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SP018", reply.Code);
        Assert.Equal(message, reply.Message);
        Assert.Equal(message, reply.Data!["errors"]![field]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("goods_name")]
    [InlineData("customer_name")]
    [InlineData("customer_email")]
    [InlineData("customer_phone")]
    [InlineData("customer_address")]
    [InlineData("customer_city")]
    [InlineData("customer_state")]
    [InlineData("customer_postal_code")]
    [InlineData("customer_country")]
    [InlineData("card_number")]
    [InlineData("card_expiry")]
    [InlineData("card_cvv")]
    [InlineData("card_holder_name")]
    [InlineData("card_holder_email")]
    public async Task A_missing_required_field_is_SP018(string field)
    {
        AssertFieldError(await PayWith(field, null, remove: true), field, $"The {field} field is required.");
    }

    [Theory]
    [InlineData("goods_name")]
    [InlineData("customer_phone")]
    [InlineData("card_holder_name")]
    public async Task An_empty_required_field_is_SP018(string field)
    {
        AssertFieldError(await PayWith(field, ""), field, $"The {field} field is required.");
    }

    [Theory]
    [InlineData("goods_name", 255)]
    [InlineData("customer_name", 255)]
    [InlineData("customer_phone", 50)]
    [InlineData("customer_address", 500)]
    [InlineData("customer_city", 100)]
    [InlineData("customer_state", 100)]
    [InlineData("customer_postal_code", 20)]
    [InlineData("card_cvv", 4)]
    [InlineData("card_holder_name", 45)]
    [InlineData("reference_no", 100)]
    [InlineData("description", 500)]
    public async Task A_text_field_over_its_max_length_is_SP018_and_at_the_max_is_accepted(string field, int max)
    {
        var digitsOnly = field == "card_cvv";
        string Text(int length) => digitsOnly ? new string('7', length) : field == "reference_no"
            ? SingapaySandboxFixture.NewReference().PadRight(length, 'x')
            : new string('a', length);

        AssertFieldError(await PayWith(field, Text(max + 1)), field, $"The {field} field must not be greater than {max} characters.");
        var atMax = await PayWith(field, Text(max));
        Assert.Equal("SP000", atMax.Code);
    }

    [Theory]
    [InlineData("customer_email", 255)]
    [InlineData("card_holder_email", 100)]
    public async Task An_email_over_its_max_length_is_SP018(string field, int max)
    {
        const string domain = "@example.com";
        var tooLong = new string('j', max + 1 - domain.Length) + domain;

        AssertFieldError(await PayWith(field, tooLong), field, $"The {field} field must not be greater than {max} characters.");
        Assert.Equal("SP000", (await PayWith(field, tooLong[1..])).Code);
    }

    [Fact]
    public async Task A_card_number_over_20_digits_is_SP018_and_20_digits_are_accepted()
    {
        AssertFieldError(await PayWith("card_number", new string('4', 21)), "card_number",
            "The card_number field must not be greater than 20 characters.");
        Assert.Equal("SP000", (await PayWith("card_number", new string('4', 20))).Code);
    }

    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    public async Task A_card_number_with_anything_but_digits_is_SP018(string number)
    {
        AssertFieldError(await PayWith("card_number", number), "card_number", "The card_number field must contain only digits.");
    }

    [Theory]
    [InlineData("customer_email", "not-an-email")]
    [InlineData("customer_email", "john@")]
    [InlineData("card_holder_email", "john doe@example.com")]
    [InlineData("card_holder_email", "@example.com")]
    public async Task A_bad_email_is_SP018(string field, string email)
    {
        AssertFieldError(await PayWith(field, email), field, $"The {field} field must be a valid email address.");
    }

    [Theory]
    [InlineData("IDN")]
    [InlineData("I")]
    public async Task A_country_that_is_not_two_characters_is_SP018(string country)
    {
        AssertFieldError(await PayWith("customer_country", country), "customer_country", "The customer_country field must be 2 characters.");
    }

    [Theory]
    [InlineData("123")]
    [InlineData("12345")]
    public async Task An_expiry_that_is_not_four_characters_is_SP018(string expiry)
    {
        AssertFieldError(await PayWith("card_expiry", expiry), "card_expiry", "The card_expiry field must be 4 characters.");
    }

    [Theory]
    [InlineData("29ab")]
    [InlineData("2913")]
    [InlineData("2900")]
    public async Task An_expiry_that_is_not_YYMM_is_SP001_with_the_expiry_message(string expiry)
    {
        var reply = await PayWith("card_expiry", expiry);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SP001", reply.Code);
        Assert.Equal("Card Expiri Date Check Please.", reply.Message);
    }

    [Fact]
    public async Task An_expiry_before_this_month_in_Jakarta_is_SP001_and_this_month_is_accepted()
    {
        var expired = await PayWith("card_expiry", JakartaYearMonth(-1));
        var thisMonth = await PayWith("card_expiry", JakartaYearMonth(0));

        Assert.Equal("SP001", expired.Code);
        Assert.Equal("Card Expiri Date Check Please.", expired.Message);
        Assert.Equal("failed", expired.Data!["status"]!.GetValue<string>());
        Assert.Equal("SP000", thisMonth.Code);
    }

    [Fact]
    public async Task An_expired_card_is_not_charged()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        payment["card_expiry"] = JakartaYearMonth(-1);

        await sandbox.PayAsync(payment);

        Assert.Equal(0, sandbox.Ledger.ChargesFor(payment["reference_no"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(4999, "The amount field must be at least 5000.")]
    [InlineData(1_000_000_000, "The amount field must not be greater than 999999999.")]
    public async Task An_amount_out_of_bounds_is_SP018(long amount, string message)
    {
        AssertFieldError(await PayWith("amount", amount), "amount", message);
    }

    [Theory]
    [InlineData(5000)]
    [InlineData(999_999_999)]
    public async Task The_amount_bounds_themselves_are_accepted(long amount)
    {
        Assert.Equal("SP000", (await PayWith("amount", amount)).Code);
    }

    [Fact]
    public async Task A_non_numeric_amount_is_SP018()
    {
        AssertFieldError(await PayWith("amount", "a lot"), "amount", "The amount field must be a number.");
    }

    [Fact]
    public async Task A_non_string_text_field_is_SP018()
    {
        AssertFieldError(await PayWith("customer_name", 42), "customer_name", "The customer_name field must be a string.");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("4")]
    [InlineData("24")]
    public async Task An_installment_month_other_than_3_6_12_is_SP018(string months)
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        payment["installment"] = true;
        payment["installment_month"] = months;

        AssertFieldError(await sandbox.PayAsync(payment), "installment_month", "The selected installment_month is invalid.");
    }

    [Fact]
    public async Task Installment_must_be_a_boolean()
    {
        AssertFieldError(await PayWith("installment", "yes"), "installment", "The installment field must be true or false.");
    }

    [Fact]
    public async Task Installment_without_a_month_defaults_to_3_months()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        payment["installment"] = true;

        var reply = await sandbox.PayAsync(payment);

        Assert.Equal("SP000", reply.Code);
        Assert.Equal(3, sandbox.Ledger.Find(payment["reference_no"]!.GetValue<string>())!.InstallmentMonths);
    }

    [Fact]
    public async Task Every_broken_rule_is_listed_and_the_first_is_the_message()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        payment["customer_email"] = "nope";
        payment["customer_country"] = "IDN";

        var reply = await sandbox.PayAsync(payment);

        Assert.Equal("The customer_email field must be a valid email address.", reply.Message);
        Assert.Equal(["customer_email", "customer_country"], reply.Data!["errors"]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("{\"amount\": 100000,")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    public async Task A_body_that_is_not_a_JSON_object_is_SP012(string body)
    {
        var request = await sandbox.CardRequest(HttpMethod.Post, $"api/v2.0/card/{sandbox.AccountId}/payment");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SP012", reply.Code);
    }

    [Fact]
    public async Task Without_reference_no_one_is_generated()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        payment.Remove("reference_no");

        var reply = await sandbox.PayAsync(payment);

        Assert.Equal("SP000", reply.Code);
        var reference = reply.Data!["reference_no"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(reference));
        Assert.Equal(1, sandbox.Ledger.ChargesFor(reference));
    }
}
