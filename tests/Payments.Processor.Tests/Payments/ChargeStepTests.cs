using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>
/// The charge step: Pending is saved before the card leaves, the card crosses the bus sealed, and each answer of the
/// charge step is one arrow of the state machine.
/// </summary>
public sealed class ChargeStepTests
{
    [Fact]
    public async Task The_payment_is_Pending_and_announced_before_the_gateway_is_called()
    {
        string? stateWhenCharged = null;
        var gateway = new ScriptedGateway();
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var repository = harness.Service<ILoadSagaRepository<PaymentState>>();
        gateway.OnCharge = c =>
        {
            stateWhenCharged = repository.Load(c.PaymentId).GetAwaiter().GetResult()?.CurrentState;
            return ScriptedGateway.Accepted();
        };
        var charge = Charges.Valid();

        await harness.Send(charge);

        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal(PaymentStatuses.Pending, stateWhenCharged);
        Assert.Single(await harness.Published<PaymentStatusChanged>(s => s.PaymentId == charge.PaymentId && s.Status == PaymentStatuses.Pending));
        Assert.Single(await harness.Published<ChargeAccepted>(a => a.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task The_charge_command_carries_the_card_sealed_and_the_gateway_gets_it_whole()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);

        var submit = Assert.Single(harness.Bus.Sent.Select<SubmitCharge>(TestContext.Current.CancellationToken)).Context.Message;
        Assert.Null(submit.Charge.Card);
        Assert.NotNull(submit.Charge.EncryptedCard);
        var wire = JsonSerializer.Serialize(submit);
        Assert.DoesNotContain(charge.Card!.Number, wire, StringComparison.Ordinal);
        Assert.DoesNotContain("\"" + charge.Card.Cvv + "\"", wire, StringComparison.Ordinal);
        Assert.DoesNotContain(charge.Card.Expiry, wire, StringComparison.Ordinal);
        Assert.Equal(charge.Card, Assert.Single(harness.Gateway.Charged).Card);
    }

    [Fact]
    public async Task A_card_sealed_by_the_sender_is_opened_only_to_charge()
    {
        await using var harness = await SagaHarness.Start();
        var cipher = harness.Service<CardCipher>();
        var plain = Charges.Valid();
        var charge = plain with { Card = null, EncryptedCard = cipher.Encrypt(plain.Card!) };

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal("411111******1111", payment.CardMasked);
        Assert.Equal(plain.Card, Assert.Single(harness.Gateway.Charged).Card);
    }

    public static TheoryData<string> BadSealedCards => ["unknown key", "tampered", "with Card too"];

    [Theory]
    [MemberData(nameof(BadSealedCards))]
    public async Task A_sealed_card_that_cannot_be_opened_fails_validation_naming_the_field_without_a_gateway_call(string problem)
    {
        await using var harness = await SagaHarness.Start();
        var plain = Charges.Valid();
        var sealedCard = problem == "unknown key"
            ? new CardCipher("someone-else", CardCipher.NewKey()).Encrypt(plain.Card!)
            : harness.Service<CardCipher>().Encrypt(plain.Card!);
        if (problem == "tampered")
            sealedCard = sealedCard with { Ciphertext = Convert.ToBase64String(new byte[Convert.FromBase64String(sealedCard.Ciphertext).Length]) };
        var charge = plain with { Card = problem == "with Card too" ? plain.Card : null, EncryptedCard = sealedCard };

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(FailureCodes.Validation, payment.FailureCode);
        Assert.StartsWith("EncryptedCard:", payment.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, harness.Gateway.Charges);
        Assert.Empty(harness.Bus.Sent.Select<SubmitCharge>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_redirect_answer_moves_Pending_to_Redirect()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Redirect() });
        var charge = Charges.Valid();

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Redirect);
        Assert.Equal(["Pending", "Redirect"], payment.Transitions.Select(t => t.To));
        Assert.Single(await harness.Published<ChargeRedirectRequired>(r => r.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task A_decline_moves_Pending_to_Failed_with_the_gateway_code()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Declined() });
        var charge = Charges.Valid();

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(FailureCodes.CardDeclined, payment.FailureCode);
        Assert.Equal("SP001", payment.GatewayCode);
        Assert.Equal(TransitionCauses.GatewayResponse, payment.Transitions.Last().Cause);
    }

    [Fact]
    public async Task An_unknown_outcome_without_a_transaction_id_stays_Pending_flagged_and_Singapay_is_not_asked_by_reference()
    {
        var gateway = new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("timeout", "no answer") };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.NeedsReconciliation);
        for (var i = 0; i < 5; i++)
            await harness.Advance(TimeSpan.FromMinutes(5));

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Pending);
        Assert.True(payment.NeedsReconciliation);
        Assert.NotNull(payment.OutcomeUnknownSince);
        Assert.Equal(0, gateway.Inquiries);
        Assert.Empty(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task A_Finpay_unknown_outcome_is_asked_by_order_id()
    {
        var finpay = new ScriptedGateway(PaymentGateways.Finpay) { OnCharge = _ => ChargeResult.Unknown("timeout", "no answer") };
        finpay.QueueInquiry(new InquiryResult { Status = GatewayPaymentStatus.Succeeded });
        await using var harness = await SagaHarness.Start(gateway: finpay);
        var charge = Charges.OneClick();

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.InquiryPollTokenId is not null);
        await harness.Advance(TimeSpan.FromSeconds(2));

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.False(payment.NeedsReconciliation);
        Assert.Equal(1, finpay.Inquiries);
    }

    [Fact]
    public async Task A_verified_callback_settles_a_payment_flagged_for_reconciliation()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("timeout", "no answer") });
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.NeedsReconciliation);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.False(payment.NeedsReconciliation);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId && c.Succeeded));
    }

    [Theory]
    [InlineData(PaymentStatuses.Succeeded)]
    [InlineData(PaymentStatuses.Failed)]
    public async Task Ops_settle_a_flagged_payment_with_a_confirmed_outcome_recording_who_and_why(string outcome)
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("timeout", "no answer") });
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.NeedsReconciliation);

        await harness.Bus.Bus.Publish(new ResolvePayment
        {
            PaymentId = charge.PaymentId,
            Outcome = outcome,
            Actor = "ops:alice",
            Reason = "checked in the Singapay dashboard",
        }, TestContext.Current.CancellationToken);

        var payment = await harness.WaitFor(charge.PaymentId, m => outcome == PaymentStatuses.Succeeded ? m.Succeeded : m.Failed);
        var last = payment.Transitions.Last();
        Assert.Equal(TransitionCauses.Ops, last.Cause);
        Assert.Contains("ops:alice", last.Detail, StringComparison.Ordinal);
        Assert.Contains("checked in the Singapay dashboard", last.Detail, StringComparison.Ordinal);
        Assert.Equal(outcome == PaymentStatuses.Failed ? FailureCodes.ResolvedByOps : null, payment.FailureCode);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task Ops_give_a_transaction_id_and_the_processor_asks_the_gateway_by_it()
    {
        var gateway = new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("timeout", "no answer") };
        gateway.QueueInquiry(new InquiryResult { Status = GatewayPaymentStatus.Succeeded, GatewayTransactionId = "99FOUND" });
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.NeedsReconciliation);

        await harness.Bus.Bus.Publish(new ResolvePayment
        {
            PaymentId = charge.PaymentId,
            GatewayTransactionId = "99FOUND",
            Actor = "ops:bob",
            Reason = "found by amount and time",
        }, TestContext.Current.CancellationToken);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Equal("99FOUND", payment.GatewayTransactionId);
        Assert.Contains(payment.Transitions, t => t.Cause == TransitionCauses.Ops && t.Detail!.Contains("ops:bob", StringComparison.Ordinal));
        Assert.Equal(TransitionCauses.Poll, payment.Transitions.Last().Cause);
        Assert.Equal(1, gateway.Inquiries);
    }

    [Fact]
    public async Task A_last_inquiry_that_cannot_tell_after_the_3ds_window_does_not_fail_the_payment()
    {
        var gateway = new ScriptedGateway
        {
            OnCharge = _ => ScriptedGateway.Redirect(),
            DefaultInquiry = InquiryResult.Unknown("timeout", "inquiry timed out"),
        };
        await using var harness = await SagaHarness.Start(o => o.ThreeDsWindow = TimeSpan.FromMinutes(15), gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Redirect);

        for (var minute = 0; minute < 17; minute++)
            await harness.Advance(TimeSpan.FromMinutes(1));

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Redirect);
        Assert.True(payment.NeedsReconciliation);
        Assert.Equal(0, gateway.Cancels);
        Assert.Empty(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
    }

    private sealed class BrokenLedger : IChargeAttemptLedger
    {
        public int Calls;

        public Task<ChargeAttemptStart> TryBeginAsync(ChargeAttempt attempt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("database unavailable");
        }

        public Task ReleaseAsync(Guid paymentId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ChargeAttempt?> FindByReferenceAsync(string gateway, string merchantReference, CancellationToken cancellationToken) =>
            Task.FromResult<ChargeAttempt?>(null);

        public Task RecordAnswerAsync(Guid paymentId, ChargeResult answer, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ChargeResult?> FindAnswerAsync(Guid paymentId, CancellationToken cancellationToken) => Task.FromResult<ChargeResult?>(null);
    }

    [Fact]
    public async Task A_charge_whose_attempt_cannot_be_recorded_fails_after_the_retries_without_a_charge()
    {
        var ledger = new BrokenLedger();
        await using var harness = await SagaHarness.Start(services: s => s.AddSingleton<IChargeAttemptLedger>(ledger));
        var charge = Charges.Valid();

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(FailureCodes.ProcessingError, payment.FailureCode);
        Assert.Equal(4, ledger.Calls); // the first attempt and three retries
        Assert.Equal(0, harness.Gateway.Charges);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId && !c.Succeeded));
    }

    [Fact]
    public async Task A_Singapay_503_is_resent_with_the_same_reference_after_a_pause()
    {
        var answers = 0;
        var gateway = new ScriptedGateway
        {
            OnCharge = _ => Interlocked.Increment(ref answers) == 1 ? ChargeResult.Unknown("HTTP 503", "unreadable") : ScriptedGateway.Accepted(),
        };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();

        await harness.Send(charge);

        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal(2, gateway.Charges);
        Assert.All(gateway.Charged, c => Assert.Equal(charge.MerchantReference, c.MerchantReference));
        // "Not processed" is not kept as the answer, so the retry sent again; the answer kept is the resend's.
        var kept = await harness.Service<IChargeAttemptLedger>().FindAnswerAsync(charge.PaymentId, CancellationToken.None);
        Assert.Equal(ChargeResultKind.Accepted, kept?.Kind);
    }

    [Fact]
    public async Task A_Singapay_503_through_every_retry_stays_open_for_reconciliation()
    {
        var gateway = new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("HTTP 503", "unreadable") };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.NeedsReconciliation);
        Assert.Equal(4, gateway.Charges);
        Assert.Empty(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task A_Finpay_5xx_is_never_resent()
    {
        var finpay = new ScriptedGateway(PaymentGateways.Finpay) { OnCharge = _ => ChargeResult.Unknown("HTTP 503", "unreadable") };
        await using var harness = await SagaHarness.Start(gateway: finpay);
        var charge = Charges.OneClick();

        await harness.Send(charge);

        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.OutcomeUnknownSince is not null);
        Assert.Equal(1, finpay.Charges);
    }

    [Fact]
    public async Task A_report_about_a_payment_that_does_not_exist_is_dropped_without_a_fault()
    {
        await using var harness = await SagaHarness.Start();
        var unknown = Guid.NewGuid();

        await harness.Report(unknown, GatewayPaymentStatus.Succeeded);
        await harness.Bus.Bus.Publish(new ChargeAccepted(unknown, ScriptedGateway.Accepted()), TestContext.Current.CancellationToken);
        Assert.True(await harness.Bus.Consumed.Any<ChargeAccepted>(TestContext.Current.CancellationToken));
        Assert.True(await harness.Bus.Consumed.Any<GatewayStatusReported>(TestContext.Current.CancellationToken));
        await harness.Settle();

        Assert.DoesNotContain(harness.Bus.Consumed.Select<GatewayStatusReported>(TestContext.Current.CancellationToken), c => c.Exception is not null);
        Assert.DoesNotContain(harness.Bus.Consumed.Select<ChargeAccepted>(TestContext.Current.CancellationToken), c => c.Exception is not null);
        Assert.Null(await harness.Service<ILoadSagaRepository<PaymentState>>().Load(unknown));
    }
}
