using Payments.IntegrationTests.Support;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>The processor runs as a child process here, so it can be killed.</summary>
public sealed class OutOfProcessEnvironment : DurableEnvironment
{
    protected override bool InProcessProcessor => false;
}

[Collection(RealServices.Name)]
public sealed class CrashRecoveryTests(OutOfProcessEnvironment environment) : IClassFixture<OutOfProcessEnvironment>
{
    [Fact]
    public async Task A_processor_killed_in_the_middle_of_a_3ds_payment_completes_it_after_a_restart()
    {
        var settings = environment.ProcessorSettings();
        settings["Logging:LogLevel:Default"] = "Warning";
        using var first = new ProcessorProcess(settings);
        first.Start();
        var charge = Charges.Valid("4000000000003220");
        var id = await environment.Post(await Ready(charge));
        var issuerPage = await Browser.OpenThreeDs(await environment.WaitForStatus(id, "Redirect"));

        first.Kill();
        // While it is down the customer confirms; the gateway's callback finds nobody and is retried.
        await Browser.Decide(issuerPage, "confirm");

        using var second = new ProcessorProcess(settings);
        second.Start();
        var completed = await environment.Merchant.WaitForCompletion(id, TimeSpan.FromSeconds(90));

        Assert.True(completed.Succeeded, string.Join("\n", second.Output));
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Equal(1, environment.Merchant.CompletedCount(id));
        Assert.Equal(1, environment.SingapayLedger.ChargesFor(charge.MerchantReference));
        await environment.WaitForStatus(id, "Succeeded");
    }

    private async Task<Payments.Contracts.ChargeRequested> Ready(Payments.Contracts.ChargeRequested charge)
    {
        // The child process needs a few seconds to start: wait for its API to answer.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await environment.Http.GetAsync($"/payments/{Guid.NewGuid()}", TestContext.Current.CancellationToken);
                if ((int)response.StatusCode == 404)
                    return charge;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        throw new Xunit.Sdk.XunitException("The processor process did not start");
    }
}
