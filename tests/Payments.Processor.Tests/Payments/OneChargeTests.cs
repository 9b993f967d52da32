using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>Rule 1: the charge request goes to the gateway at most once per PaymentId.</summary>
public sealed class OneChargeTests
{
    [Fact]
    public async Task A_duplicate_ChargeRequested_never_reaches_the_gateway_again()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Send(charge);
        await harness.Send(charge with { Amount = 999_000 });
        await harness.Settle();

        Assert.Equal(1, harness.Gateway.Charges);
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal(charge.Amount, payment.Amount);
        Assert.Equal(2, payment.Transitions.Count(t => t.Detail?.StartsWith("duplicate ChargeRequested", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Concurrent_duplicates_charge_once()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => harness.Send(charge)));
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Settle();

        Assert.Equal(1, harness.Gateway.Charges);
        Assert.Single(await harness.Published<PaymentStatusChanged>(s => s.PaymentId == charge.PaymentId && s.Status == PaymentStatuses.Processing));
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("SP005")]
    [InlineData("SP002")]
    [InlineData("SP004")]
    public async Task An_unknown_charge_outcome_stays_Pending_and_is_settled_by_inquiry_not_a_second_charge(string code)
    {
        var gateway = new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown(code, "outcome unknown") };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();

        await harness.Send(charge);
        // The in-memory store hands out the live instance: wait for the flag, set just after the outcome is noted.
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.OutcomeUnknownSince is not null && p.NeedsReconciliation);
        Assert.True(payment.NeedsReconciliation);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded, TransitionCauses.Poll);
        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Equal(1, gateway.Charges);
    }

    [Fact]
    public async Task A_Singapay_charge_already_in_the_ledger_is_sent_again_with_the_same_reference()
    {
        // As after a kill between the ledger's commit and the request: it may never have left. SP004 guards the resend.
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();
        await RecordAttempt(harness, charge, PaymentGateways.Singapay);

        await harness.Send(charge);

        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal(charge.MerchantReference, Assert.Single(harness.Gateway.Charged).MerchantReference);
    }

    [Fact]
    public async Task A_Singapay_resend_that_meets_SP004_leaves_the_outcome_unknown()
    {
        var gateway = new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("SP004", "Duplicate reference number.") };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await RecordAttempt(harness, charge, PaymentGateways.Singapay);

        await harness.Send(charge);

        // The in-memory store hands out the live instance: wait for the flag, set just after the outcome is noted.
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.OutcomeUnknownSince is not null && p.NeedsReconciliation);
        Assert.True(payment.NeedsReconciliation);
        Assert.Equal(1, gateway.Charges);
    }

    [Fact]
    public async Task A_Finpay_charge_already_in_the_ledger_is_inquired_not_resent()
    {
        // Finpay documents no duplicate guard: the earlier request may have charged, so nothing is sent again.
        var gateway = new ScriptedGateway(PaymentGateways.Finpay);
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.OneClick();
        await RecordAttempt(harness, charge, PaymentGateways.Finpay);

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Pending,
            p => p.Transitions.ToArray().Any(t => t.Detail?.Contains("already-attempted", StringComparison.Ordinal) == true));
        Assert.NotNull(payment.OutcomeUnknownSince);
        Assert.Equal(0, gateway.Charges);
    }

    private static async Task RecordAttempt(SagaHarness harness, ChargeRequested charge, string gateway) =>
        Assert.Equal(ChargeAttemptStart.Started, await harness.Service<IChargeAttemptLedger>().TryBeginAsync(
            new ChargeAttempt(charge.PaymentId, gateway, charge.MerchantReference, charge.AccountId, harness.Clock.GetUtcNow()),
            CancellationToken.None));

    [Fact]
    public async Task A_merchant_reference_used_by_another_payment_fails_without_a_charge()
    {
        await using var harness = await SagaHarness.Start();
        var first = Charges.Valid();
        var second = Charges.Valid() with { MerchantReference = first.MerchantReference };

        await harness.Send(first);
        await harness.WaitFor(first.PaymentId, m => m.Processing);
        await harness.Send(second);

        var payment = await harness.WaitFor(second.PaymentId, m => m.Failed);
        Assert.Equal("duplicate_reference", payment.FailureCode);
        Assert.Equal(1, harness.Gateway.Charges);
    }

    [Fact]
    public async Task While_the_gateway_is_unavailable_the_saga_waits_then_charges_once()
    {
        var failures = 2;
        var gateway = new ScriptedGateway
        {
            ThrowOnCharge = _ => Interlocked.Decrement(ref failures) >= 0 ? new GatewayUnavailableException("Singapay", "circuit open") : null,
        };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();

        await harness.Send(charge);

        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal(1, gateway.Charges);
    }

    [Fact]
    public async Task A_gateway_unavailable_through_every_retry_fails_the_payment_without_a_charge()
    {
        var gateway = new ScriptedGateway { ThrowOnCharge = _ => new GatewayUnavailableException("Singapay", "circuit open") };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal("gateway_unavailable", payment.FailureCode);
        Assert.Equal(0, gateway.Charges);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId && !c.Succeeded));
    }
}
