using System.Net;
using System.Net.Http.Json;
using Payments.Contracts;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Observability;

/// <summary>The spans of refund messages name their payment, as the charge's do: every payment message says which one.</summary>
public sealed class PaymentMessageSpanTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    [Fact]
    public async Task The_refund_step_span_carries_the_payment_and_its_gateway()
    {
        var id = await processor.Charge(Charges.Valid());
        await processor.WaitForStatus(id, PaymentStatuses.Succeeded);

        var accepted = await processor.Http.PostAsJsonAsync($"/payments/{id}/refund",
            new { reason = "goods returned", idempotencyKey = "refund-1" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await processor.WaitForStatus(id, PaymentStatuses.Refunded);
        processor.FlushSpans();

        // The cancel consumer's spans are no saga's, nor under one in this process (the saga's send reaches them across
        // the bus): only the SubmitCancel message they handle can name the payment.
        var refundStep = Assert.Single(processor.Spans.Spans,
            s => s.Source.Name == "MassTransit" && s.DisplayName == "submit-cancel process" && s.GetTagItem(PaymentsTelemetry.PaymentIdTag) as string == id.ToString());
        for (var span = refundStep; span is not null; span = span.Parent)
            Assert.Null(span.GetTagItem("messaging.masstransit.saga_id"));
        Assert.Equal(PaymentGateways.Singapay, refundStep.GetTagItem(PaymentsTelemetry.GatewayTag));
    }
}
