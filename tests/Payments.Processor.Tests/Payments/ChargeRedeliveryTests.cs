using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Payments.Testing;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>
/// A charge command delivered again after the gateway answered (its result's publish or its ack was lost with a broker
/// connection) hands on the kept answer: the gateway is not asked again, and the outcome is not made unknown.
/// </summary>
public sealed class ChargeRedeliveryTests
{
    private static readonly Uri ChargeQueue = new($"exchange:{SubmitChargeConsumer.QueueName}");

    [Theory]
    [InlineData(PaymentGateways.Singapay)]
    [InlineData(PaymentGateways.Finpay)]
    public async Task A_redelivery_after_the_gateway_answered_hands_on_the_kept_answer_without_a_second_call(string gatewayName)
    {
        var gateway = new ScriptedGateway(gatewayName);
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = gatewayName == PaymentGateways.Finpay ? Charges.OneClick() : Charges.Valid();
        // As after an earlier delivery that got the gateway's answer and then lost its publish with the broker connection.
        var ledger = harness.Service<IChargeAttemptLedger>();
        await ledger.TryBeginAsync(new ChargeAttempt(charge.PaymentId, gatewayName, charge.MerchantReference, charge.AccountId,
            harness.Clock.GetUtcNow()), CancellationToken.None);
        await ledger.RecordAnswerAsync(charge.PaymentId, ScriptedGateway.Accepted() with { GatewayTransactionId = "99KEPT" },
            CancellationToken.None);

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal("99KEPT", payment.GatewayTransactionId);
        Assert.False(payment.NeedsReconciliation);
        Assert.Equal(0, gateway.Charges);
        Assert.Empty(await harness.Published<ChargeOutcomeUnknown>(m => m.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task The_same_command_delivered_twice_charges_once_and_both_deliveries_hand_on_the_same_answer()
    {
        var gateway = new ScriptedGateway();
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        var submit = Assert.Single(harness.Bus.Sent.Select<SubmitCharge>(TestContext.Current.CancellationToken)).Context.Message;

        await (await harness.Bus.Bus.GetSendEndpoint(ChargeQueue)).Send(submit, TestContext.Current.CancellationToken);

        await Eventually.Until(() => harness.Bus.Published.Select<ChargeAccepted>().Count() == 2, "the redelivery hands on the answer");
        Assert.Equal(1, gateway.Charges);
        Assert.All(harness.Bus.Published.Select<ChargeAccepted>(TestContext.Current.CancellationToken), m => Assert.Equal("99TX", m.Context.Message.Result.GatewayTransactionId));
        Assert.Empty(await harness.Published<ChargeOutcomeUnknown>(m => m.PaymentId == charge.PaymentId));
        Assert.Single(await harness.Published<PaymentStatusChanged>(s => s.PaymentId == charge.PaymentId && s.Status == PaymentStatuses.Processing));
    }

    [Fact]
    public async Task A_redelivery_while_the_first_delivery_waits_at_the_gateway_waits_for_its_answer_instead_of_resending()
    {
        // The broker connection dropped while the charge was at the gateway, and the command came back at once.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gateway = new ScriptedGateway { HoldCharge = _ => release.Task };
        var ledger = new ObservedLedger();
        await using var harness = await SagaHarness.Start(gateway: gateway, services: s => s.AddSingleton<IChargeAttemptLedger>(ledger));
        var charge = Charges.Valid();
        await harness.Send(charge);
        await Eventually.Until(() => gateway.Charges == 1, "the first delivery reaches the gateway");
        var submit = Assert.Single(harness.Bus.Sent.Select<SubmitCharge>(TestContext.Current.CancellationToken)).Context.Message;

        await (await harness.Bus.Bus.GetSendEndpoint(ChargeQueue)).Send(submit, TestContext.Current.CancellationToken);
        await Eventually.Until(() => ledger.AlreadyAttempted == 1, "the redelivery finds the attempt");
        await harness.Settle();
        Assert.Equal(1, gateway.Charges);
        Assert.Empty(harness.Bus.Published.Select<ChargeAccepted>(TestContext.Current.CancellationToken));
        release.SetResult();

        await Eventually.Until(() => harness.Bus.Published.Select<ChargeAccepted>().Count() == 2, "both deliveries hand on the answer");
        var payment = await harness.WaitFor(charge.PaymentId, m => m.Processing);
        Assert.Equal("99TX", payment.GatewayTransactionId);
        Assert.Equal(1, gateway.Charges);
        Assert.Empty(await harness.Published<ChargeOutcomeUnknown>(m => m.PaymentId == charge.PaymentId));
    }

    [Fact]
    public async Task The_gateway_call_is_not_cancelled_with_the_message()
    {
        // A dropped broker connection cancels the message's token; a request already sent must still get its answer kept.
        var gateway = new ScriptedGateway();
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);

        Assert.False(Assert.Single(gateway.ChargeTokens).CanBeCanceled);
        Assert.NotNull(await harness.Service<IChargeAttemptLedger>().FindAnswerAsync(charge.PaymentId, CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_outcome_is_kept_too_so_a_redelivery_does_not_ask_again()
    {
        var gateway = new ScriptedGateway { OnCharge = _ => ChargeResult.Unknown("timeout", "no answer within 30 s") };
        await using var harness = await SagaHarness.Start(gateway: gateway);
        var charge = Charges.Valid();
        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Pending, p => p.NeedsReconciliation);
        var submit = Assert.Single(harness.Bus.Sent.Select<SubmitCharge>(TestContext.Current.CancellationToken)).Context.Message;

        await (await harness.Bus.Bus.GetSendEndpoint(ChargeQueue)).Send(submit, TestContext.Current.CancellationToken);

        await Eventually.Until(() => harness.Bus.Published.Select<ChargeOutcomeUnknown>().Count() == 2, "the redelivery hands on the answer");
        Assert.Equal(1, gateway.Charges);
        Assert.All(harness.Bus.Published.Select<ChargeOutcomeUnknown>(TestContext.Current.CancellationToken), m => Assert.Equal("timeout", m.Context.Message.Result.ResponseCode));
    }

    /// <summary>The in-memory ledger, counting the deliveries that found an earlier attempt.</summary>
    private sealed class ObservedLedger : IChargeAttemptLedger
    {
        private readonly InMemoryChargeAttemptLedger _inner = new();
        private int _alreadyAttempted;

        public int AlreadyAttempted => Volatile.Read(ref _alreadyAttempted);

        public async Task<ChargeAttemptStart> TryBeginAsync(ChargeAttempt attempt, CancellationToken cancellationToken)
        {
            var start = await _inner.TryBeginAsync(attempt, cancellationToken);
            if (start == ChargeAttemptStart.AlreadyAttempted)
                Interlocked.Increment(ref _alreadyAttempted);
            return start;
        }

        public Task ReleaseAsync(Guid paymentId, CancellationToken cancellationToken) => _inner.ReleaseAsync(paymentId, cancellationToken);

        public Task<ChargeAttempt?> FindByReferenceAsync(string gateway, string merchantReference, CancellationToken cancellationToken) =>
            _inner.FindByReferenceAsync(gateway, merchantReference, cancellationToken);

        public Task RecordAnswerAsync(Guid paymentId, ChargeResult answer, CancellationToken cancellationToken) =>
            _inner.RecordAnswerAsync(paymentId, answer, cancellationToken);

        public Task<ChargeResult?> FindAnswerAsync(Guid paymentId, CancellationToken cancellationToken) =>
            _inner.FindAnswerAsync(paymentId, cancellationToken);
    }
}
