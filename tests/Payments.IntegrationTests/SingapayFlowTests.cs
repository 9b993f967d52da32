using System.Net.Http.Json;
using System.Text.Json;
using Payments.IntegrationTests.Support;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>The Singapay flows end to end over RabbitMQ and PostgreSQL: nothing lost, published or charged twice.</summary>
[Collection(RealServices.Name)]
public sealed class SingapayFlowTests(DurableEnvironment environment) : IClassFixture<DurableEnvironment>
{
    /// <summary>Singapay's decline answer to the charge, and the provider code its failure callback carries.</summary>
    private static readonly string[] DeclineCodes = ["SP001", "05"];

    private static readonly string[] FirstSeenStatuses = ["Pending", "Processing", "Succeeded"];

    [Fact]
    public async Task Success()
    {
        var charge = Charges.Valid("4111111111111111");
        var id = await environment.Post(charge);

        var completed = await environment.Merchant.WaitForCompletion(id);

        Assert.True(completed.Succeeded);
        Assert.Equal("411111******1111", completed.CardMasked);
        await AssertOnceEverywhere(id, charge.MerchantReference);
    }

    [Fact]
    public async Task Three_ds()
    {
        var charge = Charges.Valid("4000000000003220");
        var id = await environment.Post(charge);
        var payment = await environment.WaitForStatus(id, "Redirect");

        await Browser.CompleteThreeDs(payment);

        Assert.True((await environment.Merchant.WaitForCompletion(id)).Succeeded);
        await AssertOnceEverywhere(id, charge.MerchantReference);
    }

    [Fact]
    public async Task Decline()
    {
        var charge = Charges.Valid("4000000000000002");
        var id = await environment.Post(charge);

        var completed = await environment.Merchant.WaitForCompletion(id);

        Assert.False(completed.Succeeded);
        // Pending is saved before the charge leaves, so the sandbox's signed failure callback (provider code 05) may
        // settle the payment before the charge's own SP001 answer does: both are the gateway saying "declined", and
        // both read as card_declined.
        Assert.Equal("card_declined", completed.FailureCode);
        Assert.Contains(completed.GatewayCode, DeclineCodes);
        await AssertOnceEverywhere(id, charge.MerchantReference);
    }

    [Fact]
    public async Task A_hanging_charge_is_Pending_on_GET_within_a_second_and_then_settled_once()
    {
        // The sandbox charges this card, then holds the answer past the processor's 1 s charge timeout; its callback
        // is what settles the payment.
        var charge = Charges.Valid("4000000000000127");
        var sent = System.Diagnostics.Stopwatch.StartNew();
        var id = await environment.Post(charge);

        JsonElement? first = null;
        while (first is null && sent.Elapsed < TimeSpan.FromSeconds(1))
        {
            var response = await environment.Http.GetAsync($"/payments/{id}", TestContext.Current.CancellationToken);
            if (response.IsSuccessStatusCode)
                first = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            else
                await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(first is not null, $"GET /payments/{id} still 404 after {sent.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Contains(first.Value.GetProperty("status").GetString(), FirstSeenStatuses);
        Assert.Equal("Pending", first.Value.GetProperty("transitions")[0].GetProperty("to").GetString());
        Assert.True((await environment.Merchant.WaitForCompletion(id)).Succeeded);
        Assert.Contains(environment.Merchant.StatusChanges, s => s.PaymentId == id && s.Status == "Pending");
        await AssertOnceEverywhere(id, charge.MerchantReference);
    }

    private async Task AssertOnceEverywhere(Guid paymentId, string merchantReference)
    {
        await Task.Delay(500, TestContext.Current.CancellationToken); // room for a wrong second event to show up
        Assert.Equal(1, environment.Merchant.CompletedCount(paymentId));
        Assert.Equal(1, environment.SingapayLedger.ChargesFor(merchantReference));
        var statuses = environment.Merchant.StatusChanges.Where(s => s.PaymentId == paymentId).Select(s => s.Status).ToList();
        Assert.Equal(statuses.Distinct().Count(), statuses.Count);
    }
}
