using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Payments.IntegrationTests.Support;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>
/// The durable processor's log on a normal day, from a fresh database: a warning or an error must mean something is
/// wrong, so charges that succeed, confirm 3-D Secure or are declined log none, and nothing logs once per gateway call.
/// </summary>
[Collection(RealServices.Name)]
public sealed class QuietHappyPathTests(QuietHappyPathTests.LoggedEnvironment environment) : IClassFixture<QuietHappyPathTests.LoggedEnvironment>
{
    [Fact]
    public async Task Successes_a_3DS_confirm_and_a_decline_log_nothing_at_warning_or_above()
    {
        var charges = new List<(Guid Id, string Reference)>();
        for (var i = 0; i < 3; i++)
        {
            var charge = Charges.Valid("4111111111111111");
            charges.Add((await environment.Post(charge), charge.MerchantReference));
        }
        var threeDs = Charges.Valid("4000000000003220");
        var threeDsId = await environment.Post(threeDs);
        await Browser.CompleteThreeDs(await environment.WaitForStatus(threeDsId, "Redirect"));
        charges.Add((threeDsId, threeDs.MerchantReference));
        var decline = Charges.Valid("4000000000000002");
        charges.Add((await environment.Post(decline), decline.MerchantReference));

        var outcomes = new List<bool>();
        foreach (var (id, _) in charges)
            outcomes.Add((await environment.Merchant.WaitForCompletion(id)).Succeeded);
        // The gateway's callbacks race the charges' own answers (the expected case): wait for each to be delivered, so
        // whatever the processor logs about them is in the log.
        await Eventually.Until(() => charges.All(c => environment.SingapayLedger.FindByReference(c.Reference)?.CallbacksDelivered >= 1),
            "the sandbox delivered every callback");

        Assert.Equal([true, true, true, true, false], outcomes);
        var records = environment.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        var loud = records.Where(r => r.Level >= LogLevel.Warning).Select(Describe).ToList();
        Assert.True(loud.Count == 0, "Logged at warning or above:\n" + string.Join('\n', loud));
        var perCall = records.Where(r => r.Message.StartsWith("Execution attempt", StringComparison.Ordinal)).Select(Describe).ToList();
        Assert.True(perCall.Count == 0, "Logged once per gateway call:\n" + string.Join('\n', perCall.Take(5)));
    }

    private static string Describe(FakeLogRecord record) => $"{record.Level} {record.Category}: {record.Message} {record.Exception?.GetType().Name}";

    /// <summary>A fresh database and virtual host, the processor's production log levels, every line captured.</summary>
    public sealed class LoggedEnvironment : DurableEnvironment
    {
        public FakeLogCollector Logs => ProcessorServices.GetFakeLogCollector();

        protected override void ConfigureProcessor(WebApplicationBuilder builder)
        {
            // What src/Payments.Processor/appsettings.json sets (the test host does not read that file).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:MassTransit"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            });
            builder.Logging.AddFakeLogging();
        }
    }
}
