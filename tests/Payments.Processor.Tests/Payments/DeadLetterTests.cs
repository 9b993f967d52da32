using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class DeadLetterTests
{
    /// <summary>A store that rejects every charge attempt; optionally it already holds one for the payment (an earlier delivery's).</summary>
    private sealed class BrokenLedger(ChargeAttempt? earlierAttempt = null) : IChargeAttemptLedger
    {
        public int Calls;
        private readonly TaskCompletionSource _lookedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the error pipe asked whether a charge left, which it does only after the last retry.</summary>
        public Task LookedUp => _lookedUp.Task;

        public Task<ChargeAttemptStart> TryBeginAsync(ChargeAttempt attempt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("database rejected 4111111111111111");
        }

        public Task ReleaseAsync(Guid paymentId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ChargeAttempt?> FindByReferenceAsync(string gateway, string merchantReference, CancellationToken cancellationToken)
        {
            _lookedUp.TrySetResult();
            return Task.FromResult(earlierAttempt);
        }
    }

    [Fact]
    public async Task A_ChargeRequested_failing_every_retry_before_any_charge_completes_Failed_with_processing_error()
    {
        var ledger = new BrokenLedger();
        await using var harness = await SagaHarness.Start(services: s => s.AddSingleton<IChargeAttemptLedger>(ledger));
        var charge = Charges.Valid();

        await harness.Send(charge);

        var completed = await CompletionOf(harness, charge.PaymentId);
        Assert.Equal(4, ledger.Calls); // the first attempt and three retries, then the filter ends the payment
        Assert.False(completed.Succeeded);
        Assert.Equal(PaymentStatuses.Failed, completed.Status);
        Assert.Equal(FailureCodes.ProcessingError, completed.FailureCode);
        Assert.Contains("InvalidOperationException", completed.FailureReason);
        Assert.DoesNotContain("4111111111111111", completed.FailureReason);
        Assert.Contains("411111******1111", completed.FailureReason);
        Assert.Equal("411111******1111", completed.CardMasked);
        Assert.Single(await harness.Published<PaymentStatusChanged>(m => m.PaymentId == charge.PaymentId && m.Status == PaymentStatuses.Failed));
        Assert.Empty(harness.Bus.Published.Select<Fault<ChargeRequested>>(TestContext.Current.CancellationToken));
        Assert.Empty(harness.Bus.Sent.Select<ChargeRequested>(TestContext.Current.CancellationToken));
        Assert.Equal(0, harness.Gateway.Charges);
    }

    [Fact]
    public async Task A_ChargeRequested_failing_every_retry_after_a_charge_may_have_left_is_not_called_Failed()
    {
        var charge = Charges.Valid();
        var ledger = new BrokenLedger(new ChargeAttempt(charge.PaymentId, PaymentGateways.Singapay, charge.MerchantReference, null,
            DateTimeOffset.UnixEpoch));
        await using var harness = await SagaHarness.Start(services: s => s.AddSingleton<IChargeAttemptLedger>(ledger));

        await harness.Send(charge);
        await ledger.LookedUp.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await harness.Settle();

        Assert.Equal(4, ledger.Calls);
        Assert.Empty(await harness.Published<PaymentCompleted>(m => m.PaymentId == charge.PaymentId));
        Assert.Empty(harness.Bus.Published.Select<Fault<ChargeRequested>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Another_payments_attempt_under_the_same_reference_does_not_count_as_this_payments_charge()
    {
        var charge = Charges.Valid();
        var ledger = new BrokenLedger(new ChargeAttempt(Guid.NewGuid(), PaymentGateways.Singapay, charge.MerchantReference, null,
            DateTimeOffset.UnixEpoch));
        await using var harness = await SagaHarness.Start(services: s => s.AddSingleton<IChargeAttemptLedger>(ledger));

        await harness.Send(charge);

        var completed = await CompletionOf(harness, charge.PaymentId);
        Assert.Equal(FailureCodes.ProcessingError, completed.FailureCode);
    }

    /// <summary>
    /// The one PaymentCompleted for the payment. Waits for the error pipe's publish itself: the retries in between
    /// are quiet long enough for the harness's inactivity-based waits to give up early.
    /// </summary>
    private static async Task<PaymentCompleted> CompletionOf(SagaHarness harness, Guid paymentId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!harness.Bus.Published.Select<PaymentCompleted>(m => m.Context.Message.PaymentId == paymentId).Any() && DateTime.UtcNow < deadline)
            await Task.Delay(20, TestContext.Current.CancellationToken);
        return Assert.Single(await harness.Published<PaymentCompleted>(m => m.PaymentId == paymentId));
    }
}
