using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Processor.Tests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>Each sandbox test card reaches its documented final state through POST and GET /payments.</summary>
public sealed class TestCardFlowTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    /// <summary>Singapay's decline answer to the charge, and the provider code its failure callback carries.</summary>
    private static readonly string[] DeclineCodes = ["SP001", "05"];

    private static readonly string[] ExpectedStatusPaths = ["Pending,Processing,Succeeded", "Pending,Succeeded"];

    [Fact]
    public async Task The_success_card_succeeds()
    {
        var id = await processor.Charge(Charges.Valid("4111111111111111"));

        var payment = await processor.WaitForStatus(id, "Succeeded");

        Assert.Equal("Singapay", payment.GetProperty("gateway").GetString());
        Assert.Equal("411111******1111", payment.GetProperty("cardMasked").GetString());
        Assert.False(string.IsNullOrEmpty(payment.GetProperty("gatewayTransactionId").GetString()));
        // The callback may overtake the charge's own answer, and then Processing is skipped.
        Assert.Contains(string.Join(",", Statuses(payment)), ExpectedStatusPaths);
    }

    [Fact]
    public async Task The_3ds_card_waits_in_Redirect_until_the_customer_confirms_on_the_redirect_page()
    {
        var id = await processor.Charge(Charges.Valid("4000000000003220"));
        var payment = await processor.WaitForStatus(id, "Redirect");
        // What a browser does: open our redirect page, follow its auto-submitting form, press Confirm.
        var threeDsUrl = await Browser.OpenThreeDs(payment);
        using var browser = new HttpClient();
        Assert.Contains("Confirm", await browser.GetStringAsync(threeDsUrl, TestContext.Current.CancellationToken));
        await Browser.Decide(threeDsUrl, "confirm");

        payment = await processor.WaitForStatus(id, "Succeeded");
        Assert.Equal("Redirect", Statuses(payment)[1]);
    }

    [Fact]
    public async Task The_3ds_card_fails_when_the_customer_cancels()
    {
        var id = await processor.Charge(Charges.Valid("4000000000003220"));
        var payment = await processor.WaitForStatus(id, "Redirect");

        await Browser.CompleteThreeDs(payment, "cancel");

        payment = await processor.WaitForStatus(id, "Failed");
        Assert.Equal("3ds_not_completed", payment.GetProperty("failureCode").GetString());
        Assert.Equal("3DS", payment.GetProperty("gatewayCode").GetString());
    }

    [Fact]
    public async Task The_declined_card_fails_as_the_gateway_declined_it()
    {
        var id = await processor.Charge(Charges.Valid("4000000000000002"));

        var payment = await processor.WaitForStatus(id, "Failed");

        // Pending is saved before the charge leaves, so the sandbox's signed failure callback (provider code 05) may
        // settle the payment before the charge's own SP001 answer does: both are the gateway saying "declined", and
        // both read as card_declined.
        Assert.Equal("card_declined", payment.GetProperty("failureCode").GetString());
        Assert.Contains(payment.GetProperty("gatewayCode").GetString(), DeclineCodes);
        Assert.Equal(["Pending", "Failed"], Statuses(payment));
    }

    [Fact]
    public async Task The_upstream_timeout_card_is_settled_by_the_verified_callback_without_a_second_charge()
    {
        var charge = Charges.Valid("4000000000000119");
        var id = await processor.Charge(charge);

        var payment = await processor.WaitForStatus(id, "Succeeded");

        Assert.Equal(["Pending", "Succeeded"], Statuses(payment));
        Assert.Equal("callback", payment.GetProperty("transitions").EnumerateArray().Last().GetProperty("cause").GetString());
        Assert.Equal(1, processor.Sandbox<SingapayLedger>().ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task The_stored_card_token_succeeds_at_Finpay()
    {
        var id = await processor.Charge(Charges.OneClick("tok_success_visa"));

        var payment = await processor.WaitForStatus(id, "Succeeded");

        Assert.Equal("Finpay", payment.GetProperty("gateway").GetString());
    }

    [Fact]
    public async Task The_declined_stored_card_fails_at_Finpay()
    {
        var id = await processor.Charge(Charges.OneClick("tok_declined"));

        var payment = await processor.WaitForStatus(id, "Failed");

        Assert.Equal("card_declined", payment.GetProperty("failureCode").GetString());
        Assert.Equal("4030005", payment.GetProperty("gatewayCode").GetString());
    }

    [Theory]
    [InlineData(SingapayTestCards.InsufficientFunds, "insufficient_funds")]
    [InlineData(SingapayTestCards.ExpiredCard, "expired_card")]
    public async Task A_decline_card_fails_with_its_reason(string card, string failureCode)
    {
        var id = await processor.Charge(Charges.Valid(card));

        var payment = await processor.WaitForStatus(id, "Failed");

        Assert.Equal(failureCode, payment.GetProperty("failureCode").GetString());
    }

    [Theory]
    [InlineData(100_005, "card_declined")]
    [InlineData(100_051, "insufficient_funds")]
    [InlineData(100_054, "expired_card")]
    public async Task The_amounts_last_two_digits_decline_the_success_card_on_both_gateways(long amount, string failureCode)
    {
        var singapay = await processor.Charge(Charges.Valid() with { Amount = amount });
        var finpay = await processor.Charge(Charges.OneClick() with { Amount = amount });

        Assert.Equal(failureCode, (await processor.WaitForStatus(singapay, "Failed")).GetProperty("failureCode").GetString());
        Assert.Equal(failureCode, (await processor.WaitForStatus(finpay, "Failed")).GetProperty("failureCode").GetString());
    }

    [Theory]
    [InlineData("tok_insufficient_funds", "insufficient_funds", "4030014")]
    [InlineData("tok_no_such_token", "invalid_card", "4040011")]
    public async Task A_declining_stored_card_fails_with_its_reason_at_Finpay(string token, string failureCode, string gatewayCode)
    {
        var id = await processor.Charge(Charges.OneClick(token));

        var payment = await processor.WaitForStatus(id, "Failed");

        Assert.Equal(failureCode, payment.GetProperty("failureCode").GetString());
        Assert.Equal(gatewayCode, payment.GetProperty("gatewayCode").GetString());
    }

    [Theory]
    [InlineData("tok_error_then_success")]
    [InlineData("tok_timeout_then_success")]
    public async Task A_stored_card_whose_answer_is_lost_succeeds_without_a_second_charge(string token)
    {
        var charge = Charges.OneClick(token);
        var id = await processor.Charge(charge);

        await processor.WaitForStatus(id, "Succeeded");

        Assert.Equal(1, processor.Sandbox<global::Payments.Sandbox.Finpay.FinpayLedger>().Find(charge.MerchantReference)?.PaymentRequests);
    }

    [Fact]
    public async Task The_hanging_card_is_settled_by_the_callback_without_a_second_charge()
    {
        var charge = Charges.Valid(SingapayTestCards.Hang);
        var id = await processor.Charge(charge);

        var payment = await processor.WaitForStatus(id, "Succeeded");

        Assert.Equal("callback", payment.GetProperty("transitions").EnumerateArray().Last().GetProperty("cause").GetString());
        Assert.Equal(1, processor.Sandbox<SingapayLedger>().ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task An_amount_ending_in_other_digits_charges_normally()
    {
        var id = await processor.Charge(Charges.Valid() with { Amount = 100_050 });

        await processor.WaitForStatus(id, "Succeeded");
    }

    [Fact]
    public async Task The_gateway_error_card_is_left_open_for_reconciliation_and_nothing_is_charged()
    {
        var charge = Charges.Valid(SingapayTestCards.GatewayError);
        var id = await processor.Charge(charge);

        // A 500 is no proof the charge did not happen, and Singapay cannot be asked without its transaction id.
        var payment = await WaitUntil(id, p => p.GetProperty("needsReconciliation").GetBoolean());

        Assert.Equal("Pending", payment.GetProperty("status").GetString());
        Assert.Equal(0, processor.Sandbox<SingapayLedger>().ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task The_lost_callback_card_is_settled_by_polling()
    {
        var id = await processor.Charge(Charges.Valid(SingapayTestCards.CallbackLost));

        var payment = await processor.WaitForStatus(id, "Succeeded");

        Assert.Equal(["Pending", "Processing", "Succeeded"], Statuses(payment));
        Assert.Equal("poll", payment.GetProperty("transitions").EnumerateArray().Last().GetProperty("cause").GetString());
    }

    [Fact]
    public async Task The_slow_inquiry_card_is_settled_by_a_poll_that_answers_late()
    {
        var slow = processor.Sandbox<SingapaySimulationOptions>().SlowInquiryDelay;
        var id = await processor.Charge(Charges.Valid(SingapayTestCards.SlowInquiry));

        var payment = await processor.WaitForStatus(id, "Succeeded");

        var transitions = payment.GetProperty("transitions").EnumerateArray().ToArray();
        Assert.Equal("poll", transitions[^1].GetProperty("cause").GetString());
        var processing = transitions.Single(t => t.GetProperty("to").GetString() == "Processing").GetProperty("at").GetDateTimeOffset();
        Assert.True(transitions[^1].GetProperty("at").GetDateTimeOffset() - processing >= slow,
            "the poll's answer was held back by the sandbox");
    }

    [Fact]
    public async Task An_invalid_charge_gets_400_naming_the_field()
    {
        var response = await processor.Http.PostAsJsonAsync("/payments",
            Charges.Valid() with { Customer = Charges.Valid().Customer with { Country = "IDN" } }, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.StartsWith("must be a 2-letter ISO country code", errors.GetProperty("Customer.Country")[0].GetString());
    }

    private async Task<JsonElement> WaitUntil(Guid id, Func<JsonElement, bool> condition)
    {
        JsonElement payment = default;
        await Eventually.Until(async () =>
        {
            var response = await processor.Http.GetAsync($"/payments/{id}", TestContext.Current.CancellationToken);
            return response.IsSuccessStatusCode
                   && condition(payment = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
        }, $"payment {id} meets the condition", TimeSpan.FromSeconds(20));
        return payment;
    }

    private static string[] Statuses(JsonElement payment) =>
        payment.GetProperty("transitions").EnumerateArray()
            .Where(t => t.GetProperty("from").GetString() != t.GetProperty("to").GetString())
            .Select(t => t.GetProperty("to").GetString()!).ToArray();
}
