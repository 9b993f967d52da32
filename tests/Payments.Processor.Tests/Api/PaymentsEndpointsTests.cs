using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Payments.Processor.Api;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Api;

public sealed class PaymentsEndpointsTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_accepted_charge_answers_its_id_the_status_Pending_and_where_to_follow_it()
    {
        var response = await processor.Http.PostAsJsonAsync("/payments", Charges.Valid(), Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var id = body.GetProperty("paymentId").GetGuid();
        Assert.Equal("Pending", body.GetProperty("status").GetString());
        Assert.Equal($"/payments/{id}", body.GetProperty("href").GetString());
        Assert.Equal($"/payments/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(["paymentId", "status", "href"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task An_invalid_charge_gets_400_with_every_failing_field_and_is_not_sent()
    {
        var charge = Charges.Valid() with
        {
            MerchantReference = "ORD/../../x",
            Currency = "IDRX",
            GoodsName = "Premium\0",
            Customer = Charges.Valid().Customer with { Email = "nope" },
            Card = Charges.Valid().Card! with { Number = "4111111111111112" },
        };

        var response = await processor.Http.PostAsJsonAsync("/payments", charge, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors");
        Assert.Equal(["MerchantReference", "Currency", "GoodsName", "Customer.Email", "Card.Number"],
            errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("check digit", errors.GetProperty("Card.Number")[0].GetString());
        Assert.DoesNotContain("4111111111111112", errors.ToString());
        var unknown = await processor.Http.GetAsync($"/payments/{charge.PaymentId}", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public void Transitions_are_listed_in_the_order_of_their_sequence_whatever_order_the_store_returns()
    {
        var payment = new PaymentState { CorrelationId = Guid.NewGuid(), CurrentState = "Succeeded" };
        foreach (var sequence in new[] { 3, 1, 4, 2 })
            payment.Transitions.Add(new PaymentTransition { Sequence = sequence, To = $"S{sequence}", Cause = "command" });

        var view = PaymentView.From(payment, "http://127.0.0.1/redirect");

        Assert.Equal([1, 2, 3, 4], view.Transitions.Select(t => t.Sequence));
    }
}
