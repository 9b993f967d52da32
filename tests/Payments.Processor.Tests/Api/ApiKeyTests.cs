using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Payments.Gateways.Singapay;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>
/// The HTTP API takes <c>Authorization: Bearer</c> keys: merchant keys for /payments, ops keys for /ops. A missing or
/// unknown key is 401; a known key on the other group is 403. Webhooks, health and the 3-D Secure page take none.
/// </summary>
public sealed class ApiKeyTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_charge_without_a_key_gets_401_problem_details_with_a_bearer_challenge()
    {
        using var anonymous = processor.Client(key: null);

        var response = await anonymous.PostAsJsonAsync("/payments", Charges.Valid(), Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("Missing API key", problem.GetProperty("title").GetString());
        Assert.Contains("Auth:MerchantApiKeys", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("Bearer not-a-key-this-processor-knows")]
    [InlineData("Basic Zml4dHVyZTprZXk=")]
    [InlineData("Bearer " + TestApiKeys.Fixture + "x")]
    public async Task A_wrong_key_gets_401(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/payments/{Guid.NewGuid()}");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var anonymous = processor.Client(key: null);

        var response = await anonymous.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("Invalid API key", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_second_key_of_the_list_works_as_after_a_rotation()
    {
        using var merchant = processor.Client(TestApiKeys.MerchantOnly);

        var accepted = await merchant.PostAsJsonAsync("/payments", Charges.Valid(), Cancel);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("paymentId").GetGuid();
        await processor.WaitForStatus(id, "Succeeded");
        var read = await merchant.GetAsync($"/payments/{id}", Cancel);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task A_merchant_key_on_ops_gets_403_and_an_ops_key_on_payments_gets_403()
    {
        using var merchant = processor.Client(TestApiKeys.MerchantOnly);
        using var ops = processor.Client(TestApiKeys.OpsOnly);

        var merchantOnOps = await merchant.GetAsync("/ops/payments", Cancel);
        var opsOnPayments = await ops.GetAsync($"/payments/{Guid.NewGuid()}", Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, merchantOnOps.StatusCode);
        Assert.Contains("Auth:OpsApiKeys", (await merchantOnOps.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, opsOnPayments.StatusCode);
    }

    [Fact]
    public async Task Ops_answers_an_ops_key_and_refuses_no_key()
    {
        using var ops = processor.Client(TestApiKeys.OpsOnly);
        using var anonymous = processor.Client(key: null);

        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("/ops/payments", Cancel)).StatusCode);
        var refused = await anonymous.GetAsync("/ops/payments", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Auth:OpsApiKeys", (await refused.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_and_the_index_need_no_key()
    {
        using var anonymous = processor.Client(key: null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/", Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_3ds_page_opens_in_the_customers_browser_without_a_key()
    {
        var id = await processor.Charge(Charges.Valid("4000000000003220"));
        await processor.WaitForStatus(id, "Redirect");
        using var browser = processor.Client(key: null);

        var page = await browser.GetAsync($"/payments/{id}/redirect", Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_signed_webhook_needs_no_key_and_moves_the_payment()
    {
        var charge = Charges.Valid("4000000000003220");
        var id = await processor.Charge(charge);
        await processor.WaitForStatus(id, "Redirect");
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            status = 200,
            success = true,
            @event = "card.payment.status",
            timestamp = "21 Nov 2026 10:00:00",
            data = new { transaction_id = "99CALLBACK", reference_no = charge.MerchantReference, amount = 100000, status = "success", provider_auth_no = "123456" },
        }));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/singapay") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        // Singapay's own bearer token, which is not one of our keys: the signature is what is checked.
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer callback-token");
        request.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-Signature",
            SingapaySignatures.CallbackSignature("sandbox-client-secret", "/webhooks/singapay", "callback-token", body, timestamp));
        using var gateway = processor.Client(key: null);

        var response = await gateway.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await processor.WaitForStatus(id, "Succeeded");
    }
}
