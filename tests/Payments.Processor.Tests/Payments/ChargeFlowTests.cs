using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class ChargeFlowTests
{
    [Fact]
    public async Task An_accepted_charge_moves_to_Processing_and_inquiry_success_completes_it_once()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();

        await harness.Send(charge);
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal("99TX", payment.GatewayTransactionId);
        Assert.Equal("411111******1111", payment.CardMasked);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded, TransitionCauses.Poll);
        payment = await harness.WaitFor(charge.PaymentId, m => m.Succeeded);

        var completed = await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId);
        var done = Assert.Single(completed);
        Assert.True(done.Succeeded);
        Assert.Equal(PaymentStatuses.Succeeded, done.Status);
        Assert.Equal(charge.Amount, done.Amount);
        Assert.Equal(PaymentGateways.Singapay, done.Gateway);
        Assert.Equal("123456", done.AuthorizationCode);
        Assert.Equal(1, harness.Gateway.Charges);

        var statuses = (await harness.Published<PaymentStatusChanged>(c => c.PaymentId == charge.PaymentId)).Select(s => s.Status);
        Assert.Equal([PaymentStatuses.Pending, PaymentStatuses.Processing, PaymentStatuses.Succeeded], statuses);
        Assert.Equal([PaymentStatuses.Pending, PaymentStatuses.Processing, PaymentStatuses.Succeeded], payment.Transitions.Select(t => t.To));
        Assert.Equal([TransitionCauses.Command, TransitionCauses.GatewayResponse, TransitionCauses.Poll], payment.Transitions.Select(t => t.Cause));
    }

    [Fact]
    public async Task A_3ds_charge_moves_to_Redirect_and_publishes_the_redirect_page()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Redirect() });
        var charge = Charges.Valid();

        await harness.Send(charge);
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Redirect);

        var redirect = Assert.Single(await harness.Published<PaymentRedirectRequired>(r => r.PaymentId == charge.PaymentId));
        Assert.Contains("<form", redirect.RedirectHtml);
        Assert.Equal(harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(15), redirect.ExpiresAt);
        Assert.Equal(redirect.ExpiresAt, payment.RedirectExpiresAt);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Processing);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);
        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId && c.Succeeded));
    }

    [Fact]
    public async Task The_redirect_carries_a_plain_url_of_the_processors_3ds_page_and_the_payment_keeps_its_ReturnUrl()
    {
        await using var harness = await SagaHarness.Start(o => o.PublicUrl = "https://pay.example.com/",
            gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Redirect() });
        var charge = Charges.Valid() with { ReturnUrl = "https://shop.example.com/orders/7/paid" };

        await harness.Send(charge);
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Redirect);

        var redirect = Assert.Single(await harness.Published<PaymentRedirectRequired>(r => r.PaymentId == charge.PaymentId));
        Assert.Equal($"https://pay.example.com/payments/{charge.PaymentId}/redirect", redirect.PaymentUrl);
        Assert.Equal("https://shop.example.com/orders/7/paid", payment.ReturnUrl);
    }

    [Fact]
    public async Task A_3ds_payment_can_succeed_straight_from_Redirect()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Redirect() });
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Redirect);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);

        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
    }

    [Fact]
    public async Task A_declined_charge_fails_as_card_declined_with_the_gateway_code_beside_it_and_completes_once()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Declined() });
        var charge = Charges.Valid();

        await harness.Send(charge);
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);

        Assert.Equal(FailureCodes.CardDeclined, payment.FailureCode);
        Assert.Equal("SP001", payment.GatewayCode);
        var completed = Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
        Assert.False(completed.Succeeded);
        Assert.Equal(FailureCodes.CardDeclined, completed.FailureCode);
        Assert.Equal("SP001", completed.GatewayCode);
        Assert.Equal("Payment declined by issuer", completed.GatewayMessage);
        Assert.Equal("Payment declined by issuer", completed.FailureReason);
    }

    [Fact]
    public async Task Failure_reported_while_processing_fails_the_payment_with_the_adapters_failure_code()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Failed, code: "51", failureCode: FailureCodes.InsufficientFunds);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(FailureCodes.InsufficientFunds, payment.FailureCode);
        Assert.Equal("51", payment.GatewayCode);
    }

    [Theory]
    [InlineData(GatewayPaymentStatus.Failed, null, FailureCodes.CardDeclined)]
    [InlineData(GatewayPaymentStatus.Failed, "SP001", FailureCodes.CardDeclined)]
    [InlineData(GatewayPaymentStatus.Cancelled, null, FailureCodes.Cancelled)]
    public async Task A_failure_without_a_known_failure_code_still_gets_one_from_the_set(GatewayPaymentStatus status, string? reported,
        string expected)
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);

        await harness.Report(charge.PaymentId, status, code: "XYZ", failureCode: reported);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(expected, payment.FailureCode);
        Assert.Equal("XYZ", payment.GatewayCode);
        Assert.Contains(payment.FailureCode!, FailureCodes.All);
    }

    [Fact]
    public async Task Status_changes_carry_the_payments_sequence_in_transition_order_and_completion_carries_the_last()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        // A poll that cannot find the charge is a note in the audit trail, not a status: it takes no sequence number.
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.NotFound, TransitionCauses.Poll);
        await harness.WaitFor(charge.PaymentId, m => m.Processing, p => p.NeedsReconciliation);
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded, TransitionCauses.Poll);
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Succeeded);

        var changes = await harness.Published<PaymentStatusChanged>(c => c.PaymentId == charge.PaymentId);
        Assert.Equal([(1, PaymentStatuses.Pending), (2, PaymentStatuses.Processing), (3, PaymentStatuses.Succeeded)],
            changes.OrderBy(c => c.Sequence).Select(c => (c.Sequence, c.Status)));
        Assert.Equal(3, payment.StatusSequence);
        Assert.Equal(3, Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId)).Sequence);
    }

    [Fact]
    public async Task A_payment_failing_validation_has_one_status_with_sequence_one()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid() with { Amount = 1 };

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Failed);

        var change = Assert.Single(await harness.Published<PaymentStatusChanged>(c => c.PaymentId == charge.PaymentId));
        Assert.Equal((1, PaymentStatuses.Failed), (change.Sequence, change.Status));
        Assert.Equal(1, Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId)).Sequence);
    }

    [Fact]
    public async Task A_stored_card_goes_to_Finpay()
    {
        var finpay = new ScriptedGateway(PaymentGateways.Finpay);
        await using var harness = await SagaHarness.Start(gateway: finpay);
        var charge = Charges.OneClick();

        await harness.Send(charge);
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Processing);

        Assert.Equal(PaymentGateways.Finpay, payment.Gateway);
        Assert.Equal(1, finpay.Charges);
        Assert.Null(payment.CardMasked is { } masked && masked != "411111******1111" ? masked : null);
    }
}
