using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>Rule 5: polls and the 3DS window read the injected clock; tests move it.</summary>
public sealed class TimeTests
{
    [Fact]
    public async Task Polls_follow_the_backoff_and_settle_a_payment_that_stayed_Processing()
    {
        var gateway = new ScriptedGateway();
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Settle();

        await harness.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, gateway.Inquiries);                       // first poll is due after 2 s
        await harness.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Until(() => gateway.Inquiries == 1, "the first poll asked the gateway");
        await harness.Settle();
        Assert.Equal(1, gateway.Inquiries);
        await harness.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, gateway.Inquiries);                       // the next after 5 more
        gateway.QueueInquiry(new InquiryResult { Status = GatewayPaymentStatus.Succeeded, AuthorizationCode = "777777" });
        await harness.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Until(() => gateway.Inquiries == 2, "the second poll asked the gateway");
        Assert.Equal(2, gateway.Inquiries);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Equal(TransitionCauses.Poll, payment.Transitions.Last().Cause);
        Assert.Equal("777777", payment.AuthorizationCode);

        await harness.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(2, gateway.Inquiries);                       // a final payment is polled no more
        Assert.Empty(harness.Scheduled());
    }

    [Fact]
    public async Task An_unknown_outcome_with_a_transaction_id_is_settled_by_the_first_poll()
    {
        var gateway = new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("SP005", "upstream timeout") with { GatewayTransactionId = "99TX" } };
        gateway.QueueInquiry(new InquiryResult { Status = GatewayPaymentStatus.Succeeded });
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.InquiryPollTokenId is not null);

        await harness.Advance(TimeSpan.FromSeconds(2));

        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Equal(1, gateway.Charges);
    }

    [Fact]
    public async Task A_3ds_payment_not_completed_in_the_window_gets_a_last_inquiry_then_fails_and_is_voided()
    {
        var gateway = new ScriptedGateway
        {
            OnCharge = _ => ScriptedGateway.Redirect(),
            DefaultInquiry = new InquiryResult { Status = GatewayPaymentStatus.Pending },
        };
        await using var harness = await SagaHarness.Start(o => o.ThreeDsWindow = TimeSpan.FromMinutes(15), gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Redirect);

        await harness.Advance(TimeSpan.FromMinutes(14));
        await harness.WaitFor(charge.PaymentId, m => m.Redirect);
        var inquiriesBeforeExpiry = gateway.Inquiries;

        await harness.Advance(TimeSpan.FromMinutes(1));
        await harness.Settle();

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(FailureCodes.ThreeDsNotCompleted, payment.FailureCode);
        Assert.Equal("3DS not completed", payment.FailureReason);
        Assert.Equal(TransitionCauses.Timeout, payment.Transitions.Last().Cause);
        Assert.True(gateway.Inquiries > inquiriesBeforeExpiry);
        await harness.Settle();
        Assert.Equal(1, gateway.Cancels);
        var completed = Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
        Assert.Equal(FailureCodes.ThreeDsNotCompleted, completed.FailureCode);
    }

    [Fact]
    public async Task A_3ds_payment_that_succeeded_just_before_the_window_closed_succeeds()
    {
        var gateway = new ScriptedGateway
        {
            OnCharge = _ => ScriptedGateway.Redirect(),
            DefaultInquiry = new InquiryResult { Status = GatewayPaymentStatus.Pending },
        };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Redirect);
        await harness.Advance(TimeSpan.FromMinutes(14));

        gateway.DefaultInquiry = new InquiryResult { Status = GatewayPaymentStatus.Succeeded };
        await harness.Advance(TimeSpan.FromMinutes(2));

        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Equal(0, gateway.Cancels);
    }

    [Fact]
    public async Task A_charge_the_gateway_cannot_find_never_fails_by_itself_and_is_flagged_for_reconciliation()
    {
        var gateway = new ScriptedGateway
        {
            OnCharge = _ => ChargeResult.Unknown("SP005", "upstream timeout") with { GatewayTransactionId = "99TXLOST" },
            DefaultInquiry = new InquiryResult { Status = GatewayPaymentStatus.NotFound, ResponseCode = "SP009" },
        };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.InquiryPollTokenId is not null);

        for (var minute = 0; minute < 30; minute++)
            await harness.Advance(TimeSpan.FromMinutes(1));

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Pending);
        Assert.True(payment.NeedsReconciliation);
        Assert.Null(payment.FailureCode);
        Assert.True(gateway.Inquiries >= 10);
        Assert.Equal(1, gateway.Charges);
        Assert.Single(payment.Transitions, t => t.Cause == TransitionCauses.Reconciliation);
        Assert.Empty(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task A_poll_that_fails_changes_nothing_and_polling_goes_on()
    {
        var gateway = new ScriptedGateway { DefaultInquiry = InquiryResult.Unknown("timeout", "inquiry timed out") };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);

        for (var i = 0; i < 4; i++)
            await harness.Advance(TimeSpan.FromSeconds(30));

        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.True(gateway.Inquiries >= 3);
        Assert.Single(harness.Scheduled(), s => s.MessageType.Contains(nameof(InquiryDue)));
    }
}
