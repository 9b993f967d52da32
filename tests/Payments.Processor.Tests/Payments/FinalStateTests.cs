using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class FinalStateTests
{
    [Fact]
    public async Task An_invalid_command_fails_with_validation_naming_the_field_and_makes_no_gateway_call()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid() with { Amount = 100 };

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(FailureCodes.Validation, payment.FailureCode);
        Assert.StartsWith("Amount:", payment.FailureReason);
        Assert.Equal(0, harness.Gateway.Charges);
        var completed = Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
        Assert.Equal(FailureCodes.Validation, completed.FailureCode);
        var changed = Assert.Single(await harness.Published<PaymentStatusChanged>(c => c.PaymentId == charge.PaymentId));
        Assert.Equal(PaymentStatuses.Failed, changed.Status);
        Assert.Null(changed.PreviousStatus);
    }

    [Fact]
    public async Task An_invalid_card_is_never_kept_not_even_masked_beyond_the_first_six_and_last_four()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid() with { Card = Charges.Valid().Card! with { Expiry = "1212" } };

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal("411111******1111", payment.CardMasked);
        Assert.DoesNotContain("4111111111111111", System.Text.Json.JsonSerializer.Serialize(payment));
    }

    [Fact]
    public async Task A_late_success_after_Failed_changes_nothing_but_is_kept_and_flagged()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Declined() });
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Failed);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);
        await harness.Settle();

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        var late = payment.Transitions.Last();
        Assert.True(late.Contradiction);
        Assert.Equal(TransitionCauses.Callback, late.Cause);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task A_repeated_success_after_Succeeded_is_kept_without_a_flag_or_a_second_completion()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);
        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);

        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded, TransitionCauses.Poll);
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);
        await harness.Settle();

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Equal(2, payment.Transitions.Count(t => t.Detail?.StartsWith("late report", StringComparison.Ordinal) == true && !t.Contradiction));
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
    }
}
