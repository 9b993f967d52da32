using Payments.IntegrationTests.Support;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>The Singapay flows end to end over RabbitMQ and PostgreSQL: nothing lost, published or charged twice.</summary>
[Collection(RealServices.Name)]
public sealed class SingapayFlowTests(DurableEnvironment environment) : IClassFixture<DurableEnvironment>
{
    [Fact]
    public async Task Success()
    {
        var charge = Charges.Card("4111111111111111");
        var id = await environment.Post(charge);

        var completed = await environment.Merchant.WaitForCompletion(id);

        Assert.True(completed.Succeeded);
        Assert.Equal("411111******1111", completed.CardMasked);
        await AssertOnceEverywhere(id, charge.MerchantReference);
    }

    [Fact]
    public async Task Three_ds()
    {
        var charge = Charges.Card("4000000000003220");
        var id = await environment.Post(charge);
        var payment = await environment.WaitForStatus(id, "Redirect");

        await Browser.FinishThreeDs(payment);

        Assert.True((await environment.Merchant.WaitForCompletion(id)).Succeeded);
        await AssertOnceEverywhere(id, charge.MerchantReference);
    }

    [Fact]
    public async Task Decline()
    {
        var charge = Charges.Card("4000000000000002");
        var id = await environment.Post(charge);

        var completed = await environment.Merchant.WaitForCompletion(id);

        Assert.False(completed.Succeeded);
        Assert.Equal("SP001", completed.FailureCode);
        await AssertOnceEverywhere(id, charge.MerchantReference);
    }

    [Fact]
    public async Task Timeout_then_inquiry()
    {
        // The sandbox charges this card, then holds the answer past the processor's 1 s charge timeout.
        var charge = Charges.Card("4000000000000127");
        var id = await environment.Post(charge);

        var completed = await environment.Merchant.WaitForCompletion(id);

        Assert.True(completed.Succeeded);
        var payment = await environment.WaitForStatus(id, "Succeeded");
        Assert.Contains(payment.GetProperty("transitions").EnumerateArray(),
            t => t.GetProperty("detail").GetString()!.Contains("OutcomeUnknown"));
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
