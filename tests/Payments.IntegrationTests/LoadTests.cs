using System.Diagnostics;
using Payments.IntegrationTests.Support;
using Xunit;

namespace Payments.IntegrationTests;

[Collection(RealServices.Name)]
public sealed class LoadTests(DurableEnvironment environment) : IClassFixture<DurableEnvironment>
{
    [Fact]
    public async Task Two_hundred_concurrent_payments_all_complete_once_and_are_charged_once()
    {
        var cards = new[] { "4111111111111111", "4000000000000002", "4000000000000119" };
        var charges = Enumerable.Range(0, 200).Select(i => Charges.Valid(cards[i % cards.Length])).ToList();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(charges.Select(c => environment.Merchant.Bus.Publish(c, TestContext.Current.CancellationToken)));
        foreach (var charge in charges)
            await environment.Merchant.WaitForCompletion(charge.PaymentId, TimeSpan.FromSeconds(120));
        var elapsed = clock.Elapsed;
        await Task.Delay(1000, TestContext.Current.CancellationToken);

        foreach (var charge in charges)
        {
            Assert.Equal(1, environment.Merchant.CompletedCount(charge.PaymentId));
            Assert.Equal(1, environment.SingapayLedger.ChargesFor(charge.MerchantReference));
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"200 payments completed in {elapsed.TotalSeconds:F1} s");
    }
}
