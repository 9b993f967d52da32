using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Payments.Contracts;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Observability.Support;
using Payments.Processor.Tests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Processor.Tests.Observability;

/// <summary>The whole processor on embedded defaults, its spans and log lines kept: what ops will see in Jaeger and the logs.</summary>
public sealed class EndToEndTelemetryTests(ObservedProcessor processor) : IClassFixture<ObservedProcessor>
{
    [Fact]
    public async Task A_3ds_payment_forms_one_connected_trace()
    {
        var charge = Charges.Valid(SingapayTestCards.ThreeDs);
        var paymentId = await processor.Charge(charge);
        await Browser.CompleteThreeDs(await processor.WaitForStatus(paymentId, PaymentStatuses.Redirect), "confirm");
        await processor.WaitForStatus(paymentId, PaymentStatuses.Succeeded);
        processor.FlushSpans();

        var spans = processor.Spans.Spans;
        var payment = processor.Spans.Tagged(PaymentsTelemetry.PaymentIdTag, paymentId.ToString()).ToList();
        Assert.True(payment.Count > 0, "no span carries payment.id");

        // The charge: POST /payments, the saga sending the charge, the charge step's gateway call, all in one trace.
        var charged = Assert.Single(payment, s => SagaMovedTo(s, PaymentStatuses.Redirect));
        var chargeTrace = charged.TraceId;
        Assert.Contains(spans, s => s.TraceId == chargeTrace && s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        var chargeStep = Assert.Single(spans, s => s.TraceId == chargeTrace && s.DisplayName == "payments-charge process");
        Assert.Contains(spans, s => s.TraceId == chargeTrace && s.Source.Name == "System.Net.Http" && IsBelow(s, chargeStep, spans));
        Assert.Contains(payment, s => s.TraceId == chargeTrace && s.DisplayName.Contains("ChargeRequested") && s.Kind == ActivityKind.Producer);

        // The gateway's callback arrives without trace context: its span links back to the charge's trace.
        var callbacks = payment.Where(s => s.Source.Name == PaymentsTelemetry.SourceName && s.DisplayName == "Singapay callback").ToList();
        Assert.True(callbacks.Count == 1,
            $"expected one 'Singapay callback' span, found {callbacks.Count}: GatewayWebhookEndpoints starts it with PaymentsTelemetry.StartCallback");
        var callback = callbacks[0];
        Assert.Contains(callback.Links, link => link.Context.TraceId == chargeTrace);
        var succeeded = Assert.Single(payment, s => SagaMovedTo(s, PaymentStatuses.Succeeded));
        Assert.Equal(callback.TraceId, succeeded.TraceId);

        // Every span of the payment's processing (bus, saga, gateway calls) is in the charge's trace or in one linked
        // to it. (Reads such as GET /payments/{id} are the caller's own traces.)
        var linked = payment.Where(s => s.Links.Any(l => l.Context.TraceId == chargeTrace)).Select(s => s.TraceId).Append(chargeTrace).ToHashSet();
        Assert.All(payment.Where(s => s.Source.Name is "MassTransit" or "System.Net.Http" or PaymentsTelemetry.SourceName),
            s => Assert.Contains(s.TraceId, linked));
        Assert.Empty(new CardDataScanner().Watch(charge).Scan(spans.Where(s => linked.Contains(s.TraceId)).SelectMany(SpanCollector.Texts)));
    }

    [Fact]
    public async Task No_log_line_or_span_carries_card_data_whatever_happens_to_the_payment()
    {
        var scanner = new CardDataScanner();
        var success = Charges.Valid(SingapayTestCards.Success);
        var threeDs = Charges.Valid(SingapayTestCards.ThreeDs);
        var declined = Charges.Valid(SingapayTestCards.Declined);
        var badExpiry = Charges.Valid() with { Card = Charges.Valid().Card! with { Expiry = "1399" } };
        foreach (var charge in new[] { success, threeDs, declined, badExpiry })
            scanner.Watch(charge);

        await processor.Charge(success);
        await processor.Charge(declined);
        // Refused before it reaches the bus: the 400 names the field, never the card.
        var refused = await processor.Http.PostAsJsonAsync("/payments", badExpiry, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(scanner.Scan([await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)]));
        await Browser.CompleteThreeDs(await processor.WaitForStatus(await processor.Charge(threeDs), PaymentStatuses.Redirect), "cancel");
        await processor.WaitForStatus(success.PaymentId, PaymentStatuses.Succeeded);
        await processor.WaitForStatus(threeDs.PaymentId, PaymentStatuses.Failed);
        var declinedView = await processor.WaitForStatus(declined.PaymentId, PaymentStatuses.Failed);
        Assert.NotEqual(FailureCodes.Validation, declinedView.GetProperty("failureCode").GetString());

        foreach (var body in new[]
                 {
                     // Cut off mid-object, and a card number where a number is expected: neither may be echoed.
                     $$"""{"merchantReference":"ORD-MALFORMED","card":{"number":"{{SingapayTestCards.Success}}","cvv":"123","expiry":"2912" """,
                     $$$"""{"merchantReference":"ORD-MALFORMED","amount":["{{{SingapayTestCards.ThreeDs}}}"],"card":{"cvv":"123"}}""",
                 })
        {
            var response = await processor.Http.PostAsync("/payments", new StringContent(body, Encoding.UTF8, "application/json"),
                TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode} for {body[..40]}…");
            Assert.Empty(scanner.Scan([await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)]));
        }
        processor.FlushSpans();

        var lines = processor.Logs.Lines;
        // Lines name the payment and carry the trace they were written in (AddPaymentsLogging).
        Assert.Contains(lines, l => l.Contains($"Payment {success.PaymentId} requested") && l.Contains("TraceId="));
        Assert.Contains(lines, l => l.Contains(declined.PaymentId.ToString()));
        Assert.Empty(scanner.Scan(lines));
        Assert.Empty(scanner.Scan(processor.Spans.Spans.SelectMany(SpanCollector.Texts)));
    }

    /// <summary>The saga's own span for the message that moved the payment into <paramref name="state"/>.</summary>
    private static bool SagaMovedTo(Activity span, string state) =>
        span.GetTagItem("messaging.masstransit.saga_id") is not null
        && span.GetTagItem("messaging.masstransit.end_state") as string == state
        && span.GetTagItem("messaging.masstransit.begin_state") as string != state
        && span.GetTagItem(PaymentsTelemetry.StateTag) as string == state;

    private static bool IsBelow(Activity span, Activity ancestor, IReadOnlyList<Activity> all)
    {
        var byId = all.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var parent = span.ParentSpanId; parent != default && byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
            if (next.SpanId == ancestor.SpanId)
                return true;
        return false;
    }
}
