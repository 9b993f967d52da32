using System.Diagnostics;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Observability.Support;
using Xunit;

namespace Payments.Processor.Tests.Observability;

public sealed class CardDataRedactionTests
{
    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("card=5555555555554444;")]
    [InlineData("4000000000003220")]
    [InlineData("378282246310005")] // 15-digit Amex test number
    public void Card_numbers_are_recognised_and_masked(string text)
    {
        Assert.True(CardDataRedaction.TryMaskCardNumbers(text, out var masked));
        Assert.DoesNotMatch(@"\d{7,}", masked.Replace(" ", "").Replace("-", "").Replace("*", "x"));
        Assert.Contains("*****", masked);
    }

    [Theory]
    [InlineData("card 4111111111111111 2912 123", "card 411111******1111 2912 123")]
    [InlineData("4111111111111111 61f0-4000000000000002", "411111******1111 61f0-400000******0002")]
    [InlineData("ids 1234-5678, 4111-1111-1111-1111.", "ids 1234-5678, 411111******1111.")]
    [InlineData("1234 4111 1111 1111 1111", "1234 411111******1111")]
    [InlineData("amex 3782 822463 10005", "amex 378282*****0005")]
    public void A_card_number_next_to_other_numbers_is_masked_alone(string text, string expected)
    {
        Assert.True(CardDataRedaction.TryMaskCardNumbers(text, out var masked));
        Assert.Equal(expected, masked);
    }

    [Theory]
    [InlineData("4111111111111112")] // fails Luhn
    [InlineData("123456789012")] // 12 digits
    [InlineData("2026-01-31T08:00:00Z")]
    [InlineData("887b0000-c426-02db-6268-08df479740df")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("411111******1111")]
    [InlineData("00-4bf92f35a4111111111111111e0e4736-00f067aa0ba902b7-01")] // a trace id with a card-like run of digits
    [InlineData("tok4111111111111111")]
    public void Other_numbers_are_left_alone(string text)
    {
        Assert.False(CardDataRedaction.TryMaskCardNumbers(text, out var unchanged));
        Assert.Equal(text, unchanged);
    }

    [Theory]
    [InlineData("cvv", true)]
    [InlineData("card.cvv", true)]
    [InlineData("Card.Cvc", true)]
    [InlineData("card_number", true)]
    [InlineData("cardNumber", true)]
    [InlineData("card.expiry", true)]
    [InlineData("exp_date", true)]
    [InlineData("pan", true)]
    [InlineData("payment.pan", true)]
    [InlineData("company", false)]
    [InlineData("span.kind", false)]
    [InlineData("payment.id", false)]
    [InlineData("card.masked", false)]
    public void Names_that_announce_card_data_are_recognised(string name, bool sensitive) =>
        Assert.Equal(sensitive, CardDataRedaction.IsSensitiveName(name));

    [Fact]
    public void The_exporter_behind_the_processor_pipeline_sees_card_data_masked_or_not_at_all()
    {
        var exported = new List<Activity>();
        using var services = TracedServices.Create(exported);

        var marker = Guid.NewGuid().ToString();
        using (var span = PaymentsTelemetry.Source.StartActivity($"charge 4111111111111111 {marker}"))
        {
            Assert.NotNull(span);
            span.SetTag("test.marker", marker);
            span.SetTag("card.number", "4000000000003220");
            span.SetTag("card.cvv", "123");
            span.SetTag("card.expiry", "2912");
            span.SetTag("http.request.body", "{\"number\":\"4111 1111 1111 1111\",\"amount\":100000}");
            span.SetTag("numeric.value", 5555555555554444L);
            span.SetTag("payment.card_masked", "411111******1111");
            span.AddEvent(new ActivityEvent("charge sent"));
            span.SetStatus(ActivityStatusCode.Error, "declined 4000000000000002");
        }
        var eventMarker = Guid.NewGuid().ToString();
        using (var span = PaymentsTelemetry.Source.StartActivity("charge failed"))
        {
            Assert.NotNull(span);
            span.SetTag("test.marker", eventMarker);
            span.AddException(new InvalidOperationException("card 4111-1111-1111-1111 was refused"));
        }
        using (var span = PaymentsTelemetry.Source.StartActivity("charge failed"))
        {
            Assert.NotNull(span);
            span.SetTag("test.marker", eventMarker);
            span.AddException(new InvalidOperationException("card 411111******1111 was refused"));
        }

        var redacted = Assert.Single(exported.Tagged("test.marker", marker));
        Assert.Empty(new CardDataScanner().WatchCvv("123").Scan(SpanQueries.Texts(redacted)));
        Assert.Equal(CardDataRedaction.Redacted, redacted.GetTagItem("card.cvv"));
        Assert.Equal(CardDataRedaction.Redacted, redacted.GetTagItem("card.expiry"));
        Assert.Equal(CardDataRedaction.Redacted, redacted.GetTagItem("card.number"));
        Assert.Equal("{\"number\":\"411111******1111\",\"amount\":100000}", redacted.GetTagItem("http.request.body"));
        Assert.Equal("555555******4444", redacted.GetTagItem("numeric.value"));
        Assert.Equal("411111******1111", redacted.GetTagItem("payment.card_masked"));
        Assert.Equal($"charge 411111******1111 {marker}", redacted.DisplayName);
        Assert.Equal("declined 400000******0002", redacted.StatusDescription);
        Assert.Equal("charge sent", Assert.Single(redacted.Events).Name);

        // An event can't be rewritten: the span with a card number in its exception is dropped, the masked one kept.
        var withEvent = Assert.Single(exported.Tagged("test.marker", eventMarker));
        Assert.Contains(withEvent.Events, e => e.Tags.Any(t => t.Value is string s && s.Contains("card 411111******1111 was refused")));
    }

    [Fact]
    public void Saga_spans_are_tagged_with_the_payment_and_the_spans_under_them_inherit_it()
    {
        var exported = new List<Activity>();
        using var services = TracedServices.Create(exported);
        using var massTransit = new ActivitySource("MassTransit");
        using var httpClient = new ActivitySource("System.Net.Http");
        var paymentId = Guid.NewGuid().ToString();

        var created = massTransit.CreateActivity("payments process", ActivityKind.Consumer);
        Assert.NotNull(created);
        created.SetTag("messaging.masstransit.saga_id", paymentId);
        created.SetTag("messaging.masstransit.begin_state", "Pending");
        using (var saga = created.Start())
        {
            using (httpClient.StartActivity("POST", ActivityKind.Client)) { }
            saga.SetTag("messaging.masstransit.end_state", "Redirect");
        }

        var tagged = exported.Tagged(PaymentsTelemetry.PaymentIdTag, paymentId).ToList();
        Assert.Equal(2, tagged.Count);
        Assert.Equal("Redirect", Assert.Single(tagged, s => s.Source.Name == "MassTransit").GetTagItem(PaymentsTelemetry.StateTag));
        Assert.Null(Assert.Single(tagged, s => s.Source.Name == "System.Net.Http").GetTagItem(PaymentsTelemetry.StateTag));
    }
}
