using Microsoft.EntityFrameworkCore;
using Payments.Contracts;
using Payments.Gateways;
using Payments.IntegrationTests.Support;
using Payments.Processor.Payments;
using Payments.Processor.Persistence;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>The durable charge-attempt ledger on PostgreSQL, with its migrations applied.</summary>
[Collection(RealServices.Name)]
public sealed class ChargeAttemptLedgerTests
{
    private static async Task<EntityFrameworkChargeAttemptLedger> NewLedger()
    {
        var connection = await TestServices.CreateDatabase("ledger_" + Guid.NewGuid().ToString("N")[..12]);
        var options = new DbContextOptionsBuilder<PaymentsDbContext>().UseNpgsql(connection).Options;
        await using (var db = new PaymentsDbContext(options))
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return new EntityFrameworkChargeAttemptLedger(new Contexts(options));
    }

    private sealed class Contexts(DbContextOptions<PaymentsDbContext> options) : IDbContextFactory<PaymentsDbContext>
    {
        public PaymentsDbContext CreateDbContext() => new(options);
    }

    private static ChargeAttempt Attempt(Guid paymentId, string reference) =>
        new(paymentId, PaymentGateways.Singapay, reference, "01K5G4FZZ18DMK0M5QTR8Y9QY9", DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_kept_answer_comes_back_whole_and_holds_no_card_number()
    {
        var ledger = await NewLedger();
        var paymentId = Guid.NewGuid();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ChargeAttemptStart.Started, await ledger.TryBeginAsync(Attempt(paymentId, "ORD-KEPT-1"), ct));
        Assert.Null(await ledger.FindAnswerAsync(paymentId, ct));
        var answer = new ChargeResult
        {
            Kind = ChargeResultKind.RedirectRequired,
            GatewayTransactionId = "99KEPT",
            ProviderTransactionId = "PRV-1",
            CardMasked = "400000******3220",
            RedirectHtml = "<form action='https://sandbox/3ds/99KEPT'></form>",
            PaymentUrl = "https://sandbox/3ds/99KEPT",
            ResponseCode = "SP000",
            ResponseMessage = "Success",
        };

        await ledger.RecordAnswerAsync(paymentId, answer, ct);

        Assert.Equal(answer, await ledger.FindAnswerAsync(paymentId, ct));
        Assert.Equal(ChargeAttemptStart.AlreadyAttempted, await ledger.TryBeginAsync(Attempt(paymentId, "ORD-KEPT-1"), ct));
    }

    [Fact]
    public async Task A_reference_is_in_use_only_while_another_payment_holds_it()
    {
        var ledger = await NewLedger();
        var ct = TestContext.Current.CancellationToken;
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        Assert.Equal(ChargeAttemptStart.Started, await ledger.TryBeginAsync(Attempt(first, "ORD-SHARED"), ct));

        Assert.Equal(ChargeAttemptStart.ReferenceInUse, await ledger.TryBeginAsync(Attempt(second, "ORD-SHARED"), ct));
        // A released attempt (its request never left) frees the reference, and a delivery of the same payment starts again.
        await ledger.ReleaseAsync(first, ct);
        Assert.Equal(ChargeAttemptStart.Started, await ledger.TryBeginAsync(Attempt(first, "ORD-SHARED"), ct));
        Assert.Equal(ChargeAttemptStart.AlreadyAttempted, await ledger.TryBeginAsync(Attempt(first, "ORD-SHARED"), ct));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_payment_releasing_and_beginning_never_see_their_own_reference_as_another_payments()
    {
        // One delivery releases after "not processed" while another begins: the conflict it meets is with its own payment.
        var ledger = await NewLedger();
        var ct = TestContext.Current.CancellationToken;
        var paymentId = Guid.NewGuid();
        var starts = new List<ChargeAttemptStart>();
        for (var round = 0; round < 20; round++)
        {
            await ledger.TryBeginAsync(Attempt(paymentId, "ORD-RACE"), ct);
            var begins = Enumerable.Range(0, 4).Select(_ => ledger.TryBeginAsync(Attempt(paymentId, "ORD-RACE"), ct)).ToList();
            await ledger.ReleaseAsync(paymentId, ct);
            starts.AddRange(await Task.WhenAll(begins));
            await ledger.ReleaseAsync(paymentId, ct);
        }

        Assert.DoesNotContain(ChargeAttemptStart.ReferenceInUse, starts);
    }
}
