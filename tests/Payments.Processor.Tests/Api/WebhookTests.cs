using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Payments.Gateways.Singapay;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>POST /webhooks/singapay: verified moves the payment, unsigned only triggers an inquiry, forged is refused.</summary>
public sealed class WebhookTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    private const string ClientSecret = "sandbox-client-secret"; // the embedded default's Singapay credentials

    private static byte[] CallbackBody(string reference, string status) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        status = 200,
        success = true,
        @event = "card.payment.status",
        timestamp = "21 Nov 2026 10:00:00",
        data = new { transaction_id = "99FORGED", reference_no = reference, amount = 100000, status, provider_auth_no = "999999" },
    }));

    private async Task<HttpResponseMessage> Post(byte[] body, string? signature, string token = "callback-token", DateTimeOffset? at = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/singapay") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
            request.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
            request.Headers.TryAddWithoutValidation("X-Signature", signature == "valid"
                ? SingapaySignatures.CallbackSignature(ClientSecret, "/webhooks/singapay", token, body, timestamp)
                : signature);
        }
        return await processor.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<(Guid Id, string Reference)> PaymentInRedirect()
    {
        // 3DS card: it waits in Redirect for the customer, so nothing but our callbacks moves it.
        var charge = Charges.Valid("4000000000003220");
        var id = await processor.Charge(charge);
        await processor.WaitForStatus(id, "Redirect");
        return (id, charge.MerchantReference);
    }

    [Fact]
    public async Task A_forged_callback_gets_401_and_changes_nothing()
    {
        var (id, reference) = await PaymentInRedirect();

        var response = await Post(CallbackBody(reference, "success"), signature: new string('a', 128));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal("Redirect", (await processor.Get(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_replayed_callback_outside_the_timestamp_tolerance_is_refused()
    {
        var (id, reference) = await PaymentInRedirect();

        var response = await Post(CallbackBody(reference, "success"), "valid", at: DateTimeOffset.UtcNow.AddMinutes(-10));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Redirect", (await processor.Get(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unsigned_callback_only_triggers_an_inquiry()
    {
        var (id, reference) = await PaymentInRedirect();

        // It claims success; the gateway, asked at once, says the customer has not finished 3DS.
        var response = await Post(CallbackBody(reference, "success"), signature: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("inquiring", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(processor.Logs.Lines, l => l.Contains($"Payment {id}: unsigned Singapay callback, inquiring"));
        await Task.Delay(800, TestContext.Current.CancellationToken);
        Assert.Equal("Redirect", (await processor.Get(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_verified_callback_moves_the_payment()
    {
        var (id, reference) = await PaymentInRedirect();

        var response = await Post(CallbackBody(reference, "failed"), "valid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await processor.WaitForStatus(id, "Failed");
        Assert.Equal("callback", payment.GetProperty("transitions").EnumerateArray().Last().GetProperty("cause").GetString());
    }

    [Fact]
    public async Task A_callback_for_a_charge_never_sent_is_404()
    {
        var response = await Post(CallbackBody("NEVER-SENT-REFERENCE", "success"), "valid");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Callbacks_for_an_unknown_gateway_are_404()
    {
        var response = await processor.Http.PostAsync("/webhooks/paypal", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
