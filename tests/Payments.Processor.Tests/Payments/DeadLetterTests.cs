using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

public sealed class DeadLetterTests
{
    /// <summary>Makes every attempt to handle a ChargeRequested fail inside the saga, as a broken store would.</summary>
    private sealed class BrokenClock : TimeProvider
    {
        public int Calls;

        public override DateTimeOffset GetUtcNow()
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("clock unavailable");
        }
    }

    [Fact]
    public async Task A_ChargeRequested_failing_every_retry_is_dead_lettered_without_card_data_and_without_a_Fault()
    {
        var clock = new BrokenClock();
        await using var harness = await SagaHarness.Start(services: s => s.AddSingleton<TimeProvider>(clock));
        var charge = Charges.Valid();

        await harness.Send(charge);
        await harness.Settle();

        Assert.True(clock.Calls >= 4, $"{clock.Calls} attempts"); // the first attempt and three retries
        var deadLetter = Assert.Single(harness.Bus.Sent.Select<ChargeRequested>(TestContext.Current.CancellationToken), m => m.Context.DestinationAddress!.AbsolutePath.EndsWith("payments_error"));
        var redacted = deadLetter.Context.Message;
        Assert.Equal(charge.PaymentId, redacted.PaymentId);
        Assert.Equal("411111******1111", redacted.Card!.Number);
        Assert.Equal("", redacted.Card.Cvv);
        Assert.Equal("", redacted.Card.Expiry);
        Assert.Empty(harness.Bus.Published.Select<Fault<ChargeRequested>>(TestContext.Current.CancellationToken));
        Assert.Equal(0, harness.Gateway.Charges);
    }

    [Fact]
    public async Task Re_driving_the_redacted_copy_fails_the_payment_with_a_reason()
    {
        await using var harness = await SagaHarness.Start();
        var charge = RedactedDeadLetterFilter.Redact(Charges.Valid());

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Equal(FailureCodes.Validation, payment.FailureCode);
        Assert.Equal(0, harness.Gateway.Charges);
    }
}
