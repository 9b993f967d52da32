using Payments.Contracts;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Processor.Tests.Observability;

/// <summary>Scheduled polls go through the durable scheduler and still belong to the payment's trace.</summary>
public sealed class PollTraceTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    [Fact]
    public async Task A_poll_and_its_inquiry_call_are_in_the_trace_of_the_charge()
    {
        var charge = Charges.Valid(SingapayTestCards.ThreeDs);
        var paymentId = await processor.Charge(charge);
        await processor.WaitForStatus(paymentId, PaymentStatuses.Redirect);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        List<System.Diagnostics.Activity> polls = [];
        while (polls.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            processor.FlushSpans();
            polls = processor.Spans.Tagged(PaymentsTelemetry.PaymentIdTag, paymentId.ToString())
                .Where(s => s.Source.Name == "MassTransit" && s.DisplayName == "inquire-payment-status process")
                .ToList();
        }

        Assert.NotEmpty(polls); // each poll (InquiryDue from the scheduler) makes the saga ask the inquiry consumer
        var chargeTrace = processor.Spans.Spans.Single(s => s.Source.Name == "Microsoft.AspNetCore"
            && s.DisplayName.StartsWith("POST", StringComparison.Ordinal) && s.TraceId == polls[0].TraceId).TraceId;
        Assert.All(polls, poll => Assert.Equal(chargeTrace, poll.TraceId));
        Assert.Contains(processor.Spans.Spans, s => s.TraceId == chargeTrace && s.Source.Name == "System.Net.Http"
            && s.DisplayName.StartsWith("GET", StringComparison.Ordinal));
    }
}
