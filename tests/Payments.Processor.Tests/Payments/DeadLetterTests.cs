using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class DeadLetterTests
{
    /// <summary>
    /// Makes every attempt to handle a ChargeRequested fail inside the saga, as a store that rejects it would, until
    /// the error pipe asks the ledger whether a charge left (which it does only after the last retry).
    /// </summary>
    private sealed class BrokenClock : TimeProvider
    {
        private volatile bool _broken = true;
        public int Calls;

        public void Repair() => _broken = false;

        public override DateTimeOffset GetUtcNow()
        {
            if (!_broken)
                return DateTimeOffset.UtcNow;
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("database rejected 4111111111111111");
        }
    }

    /// <summary>The charge ledger as the error pipe sees it: optionally it already holds an attempt (an earlier delivery's).</summary>
    private sealed class Ledger(BrokenClock clock, ChargeAttempt? earlierAttempt = null) : IChargeAttemptLedger
    {
        private readonly TaskCompletionSource _lookedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task LookedUp => _lookedUp.Task;

        public Task<ChargeAttemptStart> TryBeginAsync(ChargeAttempt attempt, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the saga never records charge attempts itself");

        public Task ReleaseAsync(Guid paymentId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ChargeAttempt?> FindByReferenceAsync(string gateway, string merchantReference, CancellationToken cancellationToken)
        {
            clock.Repair();
            _lookedUp.TrySetResult();
            return Task.FromResult(earlierAttempt);
        }

        public Task RecordAnswerAsync(Guid paymentId, ChargeResult answer, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ChargeResult?> FindAnswerAsync(Guid paymentId, CancellationToken cancellationToken) => Task.FromResult<ChargeResult?>(null);
    }

    private static Task<SagaHarness> Start(BrokenClock clock, Ledger ledger) =>
        SagaHarness.Start(services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IChargeAttemptLedger>(ledger));

    [Fact]
    public async Task A_ChargeRequested_failing_every_retry_before_any_charge_completes_Failed_with_processing_error()
    {
        var clock = new BrokenClock();
        await using var harness = await Start(clock, new Ledger(clock));
        var charge = Charges.Valid();

        await harness.Send(charge);

        var completed = await CompletionOf(harness, charge.PaymentId);
        Assert.True(clock.Calls >= 4, $"{clock.Calls} attempts"); // the first attempt and three retries, then the error pipe ends the payment
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
        var clock = new BrokenClock();
        var ledger = new Ledger(clock, new ChargeAttempt(charge.PaymentId, PaymentGateways.Singapay, charge.MerchantReference, null,
            DateTimeOffset.UnixEpoch));
        await using var harness = await Start(clock, ledger);

        await harness.Send(charge);
        await ledger.LookedUp.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await harness.Settle();

        Assert.True(clock.Calls >= 4, $"{clock.Calls} attempts");
        Assert.Empty(await harness.Published<PaymentCompleted>(m => m.PaymentId == charge.PaymentId));
        Assert.Empty(harness.Bus.Published.Select<Fault<ChargeRequested>>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Another_payments_attempt_under_the_same_reference_does_not_count_as_this_payments_charge()
    {
        var charge = Charges.Valid();
        var clock = new BrokenClock();
        await using var harness = await Start(clock, new Ledger(clock, new ChargeAttempt(Guid.NewGuid(), PaymentGateways.Singapay,
            charge.MerchantReference, null, DateTimeOffset.UnixEpoch)));

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
