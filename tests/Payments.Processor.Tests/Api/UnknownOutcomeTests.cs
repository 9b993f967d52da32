using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Payments.Gateways.Singapay;
using Payments.Processor.Tests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>
/// Issue 8's test: a charge whose answer is lost (SP005, no transaction id), no callback, and the sandbox answering
/// inquiries by transaction id only, as Singapay documents. The payment is never Failed; it waits, flagged, until a
/// verified callback or ops settle it.
/// </summary>
public sealed class UnknownOutcomeTests : IAsyncLifetime
{
    private const string UpstreamTimeoutCard = "4000000000000119";
    private const string ClientSecret = "sandbox-client-secret"; // the embedded default's Singapay credentials
    private readonly EmbeddedProcessor _processor = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _processor.Settings["Sandbox:Singapay:CallbackUrl"] = ""; // the gateway never calls back
        await _processor.InitializeAsync();
    }

    public ValueTask DisposeAsync() => _processor.DisposeAsync();

    [Fact]
    public async Task A_lost_charge_answer_is_not_Failed_but_flagged_and_listed_for_reconciliation()
    {
        var (id, _) = await FlaggedPayment();

        var listing = await _processor.Http.GetFromJsonAsync<JsonElement>("/ops/payments?needsReconciliation=true", Ct);

        Assert.Contains(listing.GetProperty("payments").EnumerateArray(), p => p.GetProperty("paymentId").GetGuid() == id);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // several inquiry backoffs of the embedded settings
        var payment = await _processor.Get(id);
        Assert.Equal("Pending", payment.GetProperty("status").GetString());
        Assert.True(payment.GetProperty("needsReconciliation").GetBoolean());
    }

    [Fact]
    public async Task A_later_verified_callback_settles_it()
    {
        var (id, reference) = await FlaggedPayment();
        var transactionId = _processor.Sandbox<SingapayLedger>().Find(reference)!.TransactionId;

        var response = await PostSignedCallback(reference, transactionId, "success");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await _processor.WaitForStatus(id, "Succeeded");
        Assert.False(payment.GetProperty("needsReconciliation").GetBoolean());
        Assert.Equal(1, _processor.Sandbox<SingapayLedger>().ChargesFor(reference));
    }

    [Fact]
    public async Task Ops_settle_it_with_the_gateway_transaction_id_and_the_processor_inquires_by_it()
    {
        var (id, reference) = await FlaggedPayment();
        var transactionId = _processor.Sandbox<SingapayLedger>().Find(reference)!.TransactionId;

        var response = await Resolve(id, new { gatewayTransactionId = transactionId, actor = "ops:alice", reason = "found in the dashboard" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payment = await _processor.WaitForStatus(id, "Succeeded");
        Assert.Equal(transactionId, payment.GetProperty("gatewayTransactionId").GetString());
        var trail = payment.GetProperty("transitions").EnumerateArray().ToList();
        Assert.Contains(trail, t => t.GetProperty("cause").GetString() == "ops" && t.GetProperty("detail").GetString()!.Contains("ops:alice"));
        Assert.Equal("poll", trail.Last().GetProperty("cause").GetString());
    }

    [Fact]
    public async Task Ops_settle_it_with_a_confirmed_outcome_recording_who_and_why()
    {
        var (id, _) = await FlaggedPayment();

        var response = await Resolve(id, new { outcome = "Succeeded", actor = "ops:bob", reason = "Singapay support confirmed the charge" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payment = await _processor.WaitForStatus(id, "Succeeded");
        var last = payment.GetProperty("transitions").EnumerateArray().Last();
        Assert.Equal("ops", last.GetProperty("cause").GetString());
        Assert.Contains("ops:bob", last.GetProperty("detail").GetString());
        Assert.Contains("Singapay support confirmed the charge", last.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"actor\":\"ops:a\",\"reason\":\"r\"}", "gatewayTransactionId")]
    [InlineData("{\"outcome\":\"Maybe\",\"actor\":\"ops:a\",\"reason\":\"r\"}", "outcome")]
    [InlineData("{\"outcome\":\"Failed\",\"reason\":\"r\"}", "actor")]
    [InlineData("{\"outcome\":\"Failed\",\"actor\":\"ops:a\"}", "reason")]
    public async Task A_bad_resolve_request_is_a_400_naming_the_field(string body, string field)
    {
        var response = await _processor.Http.PostAsync($"/ops/payments/{Guid.NewGuid()}/resolve",
            new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Resolving_a_final_payment_is_a_409()
    {
        var id = await _processor.Charge(Charges.Valid("4000000000000002"));
        await _processor.WaitForStatus(id, "Failed");

        var response = await Resolve(id, new { outcome = "Succeeded", actor = "ops:a", reason = "mistake" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    private async Task<(Guid Id, string Reference)> FlaggedPayment()
    {
        var charge = Charges.Valid(UpstreamTimeoutCard);
        var id = await _processor.Charge(charge);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        // 202 comes before the saga saves the payment: until it does, GET is a 404.
        JsonElement? payment;
        while ((payment = await _processor.Find(id))?.GetProperty("needsReconciliation").GetBoolean() != true && DateTime.UtcNow < deadline)
            await Task.Delay(50, Ct);
        Assert.True(payment is not null, $"{id} is still 404 after 20 s");
        Assert.True(payment.Value.GetProperty("needsReconciliation").GetBoolean(), payment.Value.ToString());
        Assert.Equal("Pending", payment.Value.GetProperty("status").GetString());
        return (id, charge.MerchantReference);
    }

    private Task<HttpResponseMessage> Resolve(Guid id, object body) =>
        _processor.Http.PostAsJsonAsync($"/ops/payments/{id}/resolve", body, Ct);

    private async Task<HttpResponseMessage> PostSignedCallback(string reference, string transactionId, string status)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            status = 200,
            success = true,
            @event = "card.payment.status",
            timestamp = "21 Nov 2026 10:00:00",
            data = new { transaction_id = transactionId, reference_no = reference, amount = 100000, status, provider_auth_no = "999999" },
        }));
        const string token = "callback-token";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/singapay") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        request.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-Signature",
            SingapaySignatures.CallbackSignature(ClientSecret, "/webhooks/singapay", token, body, timestamp));
        return await _processor.Http.SendAsync(request, Ct);
    }
}
