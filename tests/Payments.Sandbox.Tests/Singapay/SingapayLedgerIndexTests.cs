using System.Net;
using System.Net.Http.Json;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Sandbox.Tests.Singapay;

/// <summary>The ledger's lookups by every id a client may ask by, and the loopback summary a benchmark reads.</summary>
public sealed class SingapayLedgerIndexTests(SingapaySandboxFixture sandbox) : IClassFixture<SingapaySandboxFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_charge_is_found_by_transaction_id_provider_transaction_id_and_reference()
    {
        var reference = SingapaySandboxFixture.NewReference();
        await sandbox.PayAsync(SingapaySandboxFixture.ValidPayment(reference: reference));
        var charge = sandbox.Ledger.FindByReference(reference)!;

        Assert.Equal(reference, sandbox.Ledger.Find(charge.TransactionId)!.ReferenceNo);
        Assert.Equal(reference, sandbox.Ledger.Find(charge.ProviderTransactionId)!.ReferenceNo);
        Assert.Equal(reference, sandbox.Ledger.Find(reference)!.ReferenceNo);
        Assert.Equal(reference, sandbox.Ledger.FindByTransactionId(charge.TransactionId)!.ReferenceNo);
        Assert.Null(sandbox.Ledger.FindByTransactionId(reference));
        Assert.Null(sandbox.Ledger.FindByReference(charge.TransactionId));
    }

    [Fact]
    public async Task Entries_stay_in_the_order_they_were_charged()
    {
        var references = Enumerable.Range(0, 3).Select(_ => SingapaySandboxFixture.NewReference()).ToList();
        foreach (var reference in references)
            await sandbox.PayAsync(SingapaySandboxFixture.ValidPayment(reference: reference));

        var ordered = sandbox.Ledger.Entries.Select(entry => entry.ReferenceNo).Where(references.Contains).ToList();

        Assert.Equal(references, ordered);
    }

    [Fact]
    public async Task The_summary_counts_charges_and_references_sent_more_than_once()
    {
        var before = await SummaryAsync();
        var once = SingapaySandboxFixture.ValidPayment();
        var twice = SingapaySandboxFixture.ValidPayment(SingapayTestCards.Declined);
        await sandbox.PayAsync(once);
        await sandbox.PayAsync(twice);
        await sandbox.PayAsync(twice);

        var after = await SummaryAsync();

        Assert.Equal(before.Singapay.Charges + 2, after.Singapay.Charges);
        Assert.Equal(before.Singapay.ReferencesRequestedMoreThanOnce + 1, after.Singapay.ReferencesRequestedMoreThanOnce);
        Assert.Equal(0, after.Singapay.ReferencesChargedMoreThanOnce);
        Assert.Equal(before.Singapay.ByStatus.GetValueOrDefault("failed") + 1, after.Singapay.ByStatus["failed"]);
        Assert.Equal(sandbox.Ledger.Count, after.Singapay.Charges);
    }

    private async Task<SandboxLedgerSummary> SummaryAsync()
    {
        using var http = new HttpClient { BaseAddress = sandbox.Sandbox.BoundAddress() };
        var response = await http.GetAsync(SandboxLedgerEndpoints.SummaryPath, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SandboxLedgerSummary>(Ct))!;
    }
}
