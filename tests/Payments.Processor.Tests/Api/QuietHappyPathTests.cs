using Payments.Processor.Tests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>
/// The embedded default's log on a normal day: past its start-up notice that it is not durable, charges that succeed,
/// confirm 3-D Secure or are declined log no warning or error, and nothing logs once per gateway call.
/// </summary>
public sealed class QuietHappyPathTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    private static readonly string[] LoudLevels = ["Warning ", "Error ", "Critical "];

    [Fact]
    public async Task Successes_a_3DS_confirm_and_a_decline_log_nothing_at_warning_or_above()
    {
        var charges = new List<(Guid Id, string Reference, string Outcome)>();
        for (var i = 0; i < 3; i++)
        {
            var charge = Charges.Valid("4111111111111111");
            charges.Add((await processor.Charge(charge), charge.MerchantReference, "Succeeded"));
        }
        var threeDs = Charges.Valid("4000000000003220");
        var threeDsId = await processor.Charge(threeDs);
        await Browser.CompleteThreeDs(await processor.WaitForStatus(threeDsId, "Redirect"), "confirm");
        charges.Add((threeDsId, threeDs.MerchantReference, "Succeeded"));
        var decline = Charges.Valid("4000000000000002");
        charges.Add((await processor.Charge(decline), decline.MerchantReference, "Failed"));

        foreach (var (id, _, outcome) in charges)
            await processor.WaitForStatus(id, outcome);
        // The gateway's callbacks race the charges' own answers (the expected case): wait for each to be delivered, so
        // whatever the processor logs about them is in the log.
        var ledger = processor.Sandbox<SingapayLedger>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!charges.All(c => ledger.FindByReference(c.Reference)?.CallbacksDelivered >= 1) && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.All(charges, c => Assert.True(ledger.FindByReference(c.Reference)?.CallbacksDelivered >= 1, $"no callback for {c.Reference}"));

        var lines = processor.Logs.Lines;
        // The one warning by design: at start, that this mode forgets every payment on restart.
        var loud = lines.Where(l => LoudLevels.Any(level => l.StartsWith(level, StringComparison.Ordinal)))
            .Where(l => !l.Contains("Running on embedded defaults", StringComparison.Ordinal)).ToList();
        Assert.True(loud.Count == 0, "Logged at warning or above:\n" + string.Join('\n', loud));
        var perCall = lines.Where(l => l.Contains("Execution attempt", StringComparison.Ordinal) && !l.StartsWith("Debug ", StringComparison.Ordinal)).ToList();
        Assert.True(perCall.Count == 0, "Logged once per gateway call:\n" + string.Join('\n', perCall.Take(5)));
        Assert.Contains(lines, l => l.Contains("Running on embedded defaults", StringComparison.Ordinal));
    }
}
