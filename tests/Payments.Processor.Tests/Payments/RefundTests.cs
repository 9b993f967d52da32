using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>Refunds and voids through the saga: verified by inquiry, never sent twice, refused with a reason.</summary>
public sealed class RefundTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly InquiryResult Refunded = new() { Status = GatewayPaymentStatus.Cancelled, CancelType = RefundKinds.Refund, ResponseCode = "refunded" };
    private static readonly InquiryResult Voided = new() { Status = GatewayPaymentStatus.Cancelled, CancelType = RefundKinds.Void, ResponseCode = "cancelled" };

    [Fact]
    public async Task A_succeeded_payment_is_refunded_once_the_inquiry_confirms_it_and_no_repeat_refunds_it_again()
    {
        await using var harness = await SagaHarness.Start();
        harness.Gateway.OnCancel = _ => new CancelResult { Cancelled = true, CancelType = RefundKinds.Refund, ResponseCode = "SP000" };
        var id = await Succeeded(harness);
        harness.Gateway.QueueInquiry(Refunded);

        await harness.Bus.Bus.Publish(Refund(id, "key-1"), Ct);

        var payment = await harness.WaitFor(id, m => m.Refunded);
        Assert.Equal("key-1", payment.RefundIdempotencyKey);
        Assert.Equal("customer returned the goods", payment.RefundReason);
        Assert.Equal(harness.Clock.GetUtcNow(), payment.RefundedAt);
        Assert.Equal(1, harness.Gateway.Cancels);

        await harness.Bus.Bus.Publish(Refund(id, "key-1"), Ct);
        await harness.Bus.Bus.Publish(Refund(id, "key-2"), Ct);
        await harness.Bus.Bus.Publish(new VoidPayment { PaymentId = id, Reason = "oops", IdempotencyKey = "key-3" }, Ct);
        await harness.Settle();

        Assert.Equal(1, harness.Gateway.Cancels);
        payment = await harness.WaitFor(id, m => m.Refunded);
        var refunded = Assert.Single(await harness.Published<PaymentRefunded>(e => e.PaymentId == id));
        Assert.Equal("key-1", refunded.IdempotencyKey);
        Assert.Equal(100_000, refunded.Amount);
        var refused = await harness.Published<PaymentRefundFailed>(e => e.PaymentId == id);
        Assert.Equal(["key-2", "key-3"], refused.Select(r => r.IdempotencyKey).Order(StringComparer.Ordinal));
        Assert.All(refused, r => Assert.Equal(RefundFailureCodes.AlreadyCancelled, r.Code));
        Assert.Single(await harness.Published<PaymentCompleted>(e => e.PaymentId == id));
        Assert.Contains(payment.Transitions, t => t.Detail == "refund with the same idempotency key again: the payment is Refunded, nothing repeated");
        Assert.Equal(["Pending", "Processing", "Succeeded", "Refunding", "Refunded"],
            payment.Transitions.Where(t => t.From != t.To).Select(t => t.To));
    }

    [Fact]
    public async Task A_processing_payment_is_voided_its_polls_stop_and_it_publishes_PaymentVoided()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        harness.Gateway.QueueInquiry(Voided);

        await harness.Bus.Bus.Publish(new VoidPayment { PaymentId = charge.PaymentId, Reason = "order cancelled", IdempotencyKey = "v-1" }, Ct);

        await harness.WaitFor(charge.PaymentId, m => m.Voided);
        var voided = Assert.Single(await harness.Published<PaymentVoided>(e => e.PaymentId == charge.PaymentId));
        Assert.Equal("order cancelled", voided.Reason);
        Assert.Empty(await harness.Published<PaymentCompleted>(e => e.PaymentId == charge.PaymentId));
        Assert.DoesNotContain(harness.Scheduled(), s => s.MessageType.Contains(nameof(InquiryDue), StringComparison.Ordinal));
        Assert.Equal(1, harness.Gateway.Cancels);
    }

    [Fact]
    public async Task A_refund_the_gateway_refuses_returns_the_payment_to_Succeeded_with_the_reason_and_no_second_completion()
    {
        await using var harness = await SagaHarness.Start();
        harness.Gateway.OnCancel = _ => new CancelResult { Cancelled = false, ResponseCode = "SP019", ResponseMessage = "cannot be cancelled" };
        var id = await Succeeded(harness);
        var completedAt = (await harness.WaitFor(id, m => m.Succeeded)).CompletedAt;
        harness.Gateway.QueueInquiry(new InquiryResult { Status = GatewayPaymentStatus.Succeeded, ResponseCode = "success" });
        harness.Clock.Advance(TimeSpan.FromMinutes(1));

        await harness.Bus.Bus.Publish(Refund(id, "key-1"), Ct);

        var payment = await harness.WaitFor(id, m => m.Succeeded, p => p.RefundFailureCode is not null);
        Assert.Equal("SP019", payment.RefundFailureCode);
        Assert.Equal(completedAt, payment.CompletedAt);
        var failed = Assert.Single(await harness.Published<PaymentRefundFailed>(e => e.PaymentId == id));
        Assert.Equal("SP019", failed.Code);
        Assert.Equal(PaymentStatuses.Succeeded, failed.Status);
        Assert.Contains("reports it Succeeded", failed.Reason);
        Assert.Single(await harness.Published<PaymentCompleted>(e => e.PaymentId == id));
        Assert.Empty(await harness.Published<PaymentRefunded>(e => e.PaymentId == id));
    }

    [Fact]
    public async Task An_unconfirmed_cancel_stays_Refunding_flagged_and_is_sent_again_after_the_backoff()
    {
        await using var harness = await SagaHarness.Start(o => o.InquiryBackoff = [TimeSpan.FromSeconds(10)]);
        var id = await Succeeded(harness);
        harness.Gateway.OnCancel = _ => new CancelResult { Cancelled = false, ResponseCode = "timeout" };
        harness.Gateway.QueueInquiry(InquiryResult.Unknown("timeout", "Singapay could not be asked"));
        harness.Gateway.QueueInquiry(Refunded);

        await harness.Bus.Bus.Publish(Refund(id, "key-1"), Ct);

        var waiting = await harness.WaitFor(id, m => m.Refunding, p => p.NeedsReconciliation);
        Assert.Equal(1, harness.Gateway.Cancels);
        Assert.Empty(await harness.Published<PaymentRefundFailed>(e => e.PaymentId == id));
        Assert.Contains(waiting.Transitions, t => t.Cause == TransitionCauses.Reconciliation);

        await harness.Advance(TimeSpan.FromSeconds(10));

        var payment = await harness.WaitFor(id, m => m.Refunded);
        Assert.False(payment.NeedsReconciliation);
        Assert.Equal(2, harness.Gateway.Cancels);
        Assert.Single(await harness.Published<PaymentRefunded>(e => e.PaymentId == id));
    }

    [Fact]
    public async Task A_refund_of_a_failed_payment_is_refused_as_nothing_was_charged_and_asks_no_gateway()
    {
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway { OnCharge = _ => ScriptedGateway.Declined() });
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Failed);

        await harness.Bus.Bus.Publish(Refund(charge.PaymentId, "key-1"), Ct);

        var refused = Assert.Single(await harness.Published<PaymentRefundFailed>(e => e.PaymentId == charge.PaymentId));
        Assert.Equal(RefundFailureCodes.NothingCharged, refused.Code);
        Assert.Equal("the payment failed (card_declined): nothing was charged, so there is nothing to refund", refused.Reason);
        Assert.Equal(0, harness.Gateway.Cancels);
        await harness.WaitFor(charge.PaymentId, m => m.Failed);
    }

    [Fact]
    public async Task A_void_of_a_settled_payment_is_refused_refund_it_instead()
    {
        await using var harness = await SagaHarness.Start();
        var id = await Succeeded(harness);

        await harness.Bus.Bus.Publish(new VoidPayment { PaymentId = id, Reason = "order cancelled", IdempotencyKey = "v-1" }, Ct);

        var refused = Assert.Single(await harness.Published<PaymentRefundFailed>(e => e.PaymentId == id));
        Assert.Equal(RefundFailureCodes.AlreadySettled, refused.Code);
        Assert.Equal(RefundKinds.Void, refused.Kind);
        Assert.Equal(0, harness.Gateway.Cancels);
    }

    [Fact]
    public async Task A_gateway_without_a_cancel_API_is_refused_with_its_reason()
    {
        const string Why = "Finpay has no public cancel API: void or refund the payment in Finpay's dashboard";
        await using var harness = await SagaHarness.Start(gateway: new ScriptedGateway(PaymentGateways.Finpay) { CannotCancelReason = Why });
        var charge = Charges.OneClick();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);
        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);

        await harness.Bus.Bus.Publish(Refund(charge.PaymentId, "key-1"), Ct);

        var refused = Assert.Single(await harness.Published<PaymentRefundFailed>(e => e.PaymentId == charge.PaymentId));
        Assert.Equal(RefundFailureCodes.NotSupported, refused.Code);
        Assert.Equal(Why, refused.Reason);
        Assert.Equal(0, harness.Gateway.Cancels);
    }

    [Fact]
    public async Task A_refund_sent_over_the_bus_without_a_key_is_refused_as_invalid_and_a_card_number_in_the_reason_is_never_kept()
    {
        await using var harness = await SagaHarness.Start();
        harness.Gateway.QueueInquiry(Refunded);
        var id = await Succeeded(harness);

        await harness.Bus.Bus.Publish(new RefundPayment { PaymentId = id, Reason = "no key", IdempotencyKey = " " }, Ct);
        await harness.Bus.Bus.Publish(new RefundPayment { PaymentId = id, Reason = "card 4111 1111 1111 1111 was charged twice", IdempotencyKey = "k" }, Ct);

        var payment = await harness.WaitFor(id, m => m.Refunded);
        var refused = Assert.Single(await harness.Published<PaymentRefundFailed>(e => e.PaymentId == id));
        Assert.Equal(RefundFailureCodes.Validation, refused.Code);
        Assert.Equal("idempotencyKey is required", refused.Reason);
        Assert.DoesNotContain("1111 1111 1111", System.Text.Json.JsonSerializer.Serialize(payment));
        Assert.Contains("411111******1111", payment.RefundReason);
    }

    private static RefundPayment Refund(Guid id, string key) =>
        new() { PaymentId = id, Reason = "customer returned the goods", IdempotencyKey = key };

    private static async Task<Guid> Succeeded(SagaHarness harness)
    {
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);
        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        return charge.PaymentId;
    }
}
