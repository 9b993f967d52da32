using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Payments.Processor.Tests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>
/// POST /payments/{id}/refund and /void on the embedded defaults (in-memory bus and store, sandbox in-process): the
/// sandbox's ledger shows the money went back once, however often it is asked.
/// </summary>
public sealed class RefundFlowTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_succeeded_payment_is_refunded_once_however_often_it_is_asked()
    {
        var charge = Charges.Valid();
        var id = await processor.Charge(charge);
        await processor.WaitForStatus(id, "Succeeded");

        var accepted = await Post(id, "refund", "goods returned", "refund-1");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/payments/{id}", accepted.Headers.Location?.OriginalString);
        Assert.Equal("Refunding", (await Body(accepted)).GetProperty("status").GetString());
        var payment = await processor.WaitForStatus(id, "Refunded");
        Assert.Equal("refund-1", payment.GetProperty("refund").GetProperty("idempotencyKey").GetString());

        var again = await Post(id, "refund", "goods returned", "refund-1");
        var other = await Post(id, "refund", "goods returned twice?", "refund-2");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("Refunded", (await Body(again)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("already_cancelled", (await Body(other)).GetProperty("code").GetString());
        var ledger = processor.Sandbox<SingapayLedger>();
        Assert.Equal("refunded", ledger.Find(charge.MerchantReference)!.Status);
        Assert.Equal(1, ledger.RefundsFor(charge.MerchantReference));
        Assert.Equal(1, ledger.Find(charge.MerchantReference)!.CancelRequests);
        Assert.Equal(1, ledger.ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task A_payment_still_processing_at_the_gateway_is_voided_and_nothing_is_refunded()
    {
        var simulation = processor.Sandbox<SingapaySimulationOptions>();
        var settle = simulation.SettleDelay;
        simulation.SettleDelay = TimeSpan.FromHours(1);
        Guid id;
        var charge = Charges.Valid();
        try
        {
            id = await processor.Charge(charge);
            await processor.WaitForStatus(id, "Processing");
        }
        finally
        {
            simulation.SettleDelay = settle;
        }

        var accepted = await Post(id, "void", "order cancelled", "void-1");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await processor.WaitForStatus(id, "Voided");
        var again = await Post(id, "void", "order cancelled", "void-1");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var ledger = processor.Sandbox<SingapayLedger>();
        Assert.Equal("cancelled", ledger.Find(charge.MerchantReference)!.Status);
        Assert.Equal("void", ledger.Find(charge.MerchantReference)!.CancelType);
        Assert.Equal(0, ledger.RefundsFor(charge.MerchantReference));
        Assert.Equal(1, ledger.Find(charge.MerchantReference)!.CancelRequests);
    }

    [Fact]
    public async Task A_Finpay_payment_is_refused_naming_why()
    {
        var id = await processor.Charge(Charges.OneClick("tok_success_visa"));
        await processor.WaitForStatus(id, "Succeeded");

        var refused = await Post(id, "refund", "goods returned", "refund-1");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Body(refused);
        Assert.Equal("cancel_not_supported", problem.GetProperty("code").GetString());
        Assert.Contains("Finpay has no public cancel API", problem.GetProperty("detail").GetString());
        Assert.Equal("Succeeded", (await processor.Get(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failed_payment_gets_a_clear_error()
    {
        var id = await processor.Charge(Charges.Valid("4000000000000002"));
        await processor.WaitForStatus(id, "Failed");

        var refused = await Post(id, "refund", "goods returned", "refund-1");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Body(refused);
        Assert.Equal("nothing_charged", problem.GetProperty("code").GetString());
        Assert.Contains("nothing was charged", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_request_without_reason_or_key_gets_400_naming_the_fields_and_an_unknown_payment_404()
    {
        var invalid = await processor.Http.PostAsJsonAsync($"/payments/{Guid.NewGuid()}/refund", new { reason = " " }, Ct);
        var unknown = await Post(Guid.NewGuid(), "void", "order cancelled", "void-1");
        using var anonymous = processor.Client(key: null);
        var noKey = await anonymous.PostAsJsonAsync($"/payments/{Guid.NewGuid()}/refund", new { reason = "r", idempotencyKey = "k" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await Body(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("reason", out _));
        Assert.True(errors.TryGetProperty("idempotencyKey", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }

    private Task<HttpResponseMessage> Post(Guid id, string kind, string reason, string key) =>
        processor.Http.PostAsJsonAsync($"/payments/{id}/{kind}", new { reason, idempotencyKey = key }, Ct);

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
}
