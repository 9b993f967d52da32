using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Payments.Sandbox.Tests.Finpay;

/// <summary>One test per validation rule of the simulated one-click charge; nothing invalid reaches the ledger.</summary>
public sealed class FinpayChargeValidationTests : IAsyncLifetime
{
    private FinpaySandboxHost _sandbox = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await FinpaySandboxHost.StartAsync(Ct);

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private async Task AssertRefusedAsync(JsonNode body, string code, string field)
    {
        var answer = await _sandbox.ChargeAsync(body, Ct);

        Assert.Equal(400, answer.HttpStatus);
        Assert.Equal(code, answer.ResponseCode);
        Assert.Contains(field, answer.ResponseMessage);
        Assert.Empty(_sandbox.Ledger.Entries);
    }

    [Fact]
    public async Task The_seed_pages_sample_request_is_accepted()
    {
        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("1685522307103"), Ct);

        Assert.Equal(200, answer.HttpStatus);
        Assert.Equal("2000000", answer.ResponseCode);
        Assert.Equal("Success", answer.ResponseMessage);
        Assert.Equal("CAPTURE", answer.Body?["data"]?["type"]?.GetValue<string>());
        Assert.Equal(1000, answer.Body?["data"]?["amount"]?.GetValue<long>());
        Assert.Single(_sandbox.Ledger.Entries);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/finpay/pg/payment/card/payment")
        {
            Content = new StringContent("customer=1&order=2", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = FinpaySandboxHost.Basic();

        var answer = await _sandbox.SendAsync(request, Ct);

        Assert.Equal("4000001", answer.ResponseCode);
        Assert.Contains("body", answer.ResponseMessage);
    }

    [Fact]
    public Task A_JSON_array_body_is_refused() =>
        AssertRefusedAsync(new JsonArray(1, 2), "4000001", "body");

    [Fact]
    public Task Customer_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V1").Without("customer"), "4000002", "customer");

    [Fact]
    public Task Customer_must_be_an_object() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V2").Also(r => r["customer"] = "Hajar Ismail"), "4000001", "customer");

    [Fact]
    public Task Customer_fields_must_be_strings() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V3").With("customer", "mobilePhone", 6281286288844), "4000001", "customer.mobilePhone");

    [Fact]
    public Task A_customer_email_when_given_must_be_an_email_address() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V4").With("customer", "email", "hajar.example.com"), "4000001", "customer.email");

    [Fact]
    public async Task An_empty_customer_id_and_email_are_accepted_as_in_the_seed_sample()
    {
        var body = FinpayRequests.Valid("ORD-V5").With("customer", "id", "").With("customer", "email", "");

        var answer = await _sandbox.ChargeAsync(body, Ct);

        Assert.Equal("2000000", answer.ResponseCode);
    }

    [Fact]
    public Task Order_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V6").Without("order"), "4000002", "order");

    [Fact]
    public Task Order_id_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V7").Without("order", "id"), "4000002", "order.id");

    [Fact]
    public Task Order_id_must_not_be_empty() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V8").With("order", "id", " "), "4000002", "order.id");

    [Fact]
    public Task Order_amount_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V9").Without("order", "amount"), "4000002", "order.amount");

    [Fact]
    public Task Order_amount_must_be_a_string_not_a_number() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V10").With("order", "amount", 1000), "4000001", "order.amount");

    [Theory]
    [InlineData("10.50")]
    [InlineData("-1000")]
    [InlineData("1,000")]
    [InlineData("Rp1000")]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    public Task Order_amount_must_be_a_positive_whole_number(string amount) =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V11").With("order", "amount", amount), "4000001", "order.amount");

    [Fact]
    public Task Order_currency_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V12").Without("order", "currency"), "4000002", "order.currency");

    [Fact]
    public Task Order_currency_must_be_IDR() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V13").With("order", "currency", "USD"), "4000001", "order.currency");

    [Fact]
    public Task Card_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V14").Without("card"), "4000002", "card");

    [Fact]
    public Task Card_token_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V15").Without("card", "token"), "4000002", "card.token");

    [Fact]
    public Task Card_storedOnFile_is_mandatory() =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V16").Without("card", "storedOnFile"), "4000002", "card.storedOnFile");

    [Theory]
    [InlineData("TO_BE_STORED")]
    [InlineData("stored")]
    public Task Card_storedOnFile_must_be_STORED_for_a_one_click_charge(string storedOnFile) =>
        AssertRefusedAsync(FinpayRequests.Valid("ORD-V17").With("card", "storedOnFile", storedOnFile), "4000001", "card.storedOnFile");

    [Fact]
    public async Task A_charge_without_credentials_is_refused_with_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/finpay/pg/payment/card/payment")
        {
            Content = new StringContent(FinpayRequests.Valid("ORD-V18").ToJsonString(), Encoding.UTF8, "application/json"),
        };

        var answer = await _sandbox.SendAsync(request, Ct);

        Assert.Equal(401, answer.HttpStatus);
        Assert.Equal("4010000", answer.ResponseCode);
        Assert.Equal("Basic", answer.Response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(_sandbox.Ledger.Entries);
    }

    [Theory]
    [InlineData(FinpaySandboxHost.MerchantId, "wrong-key")]
    [InlineData("wrong-merchant", FinpaySandboxHost.MerchantKey)]
    public async Task A_charge_with_wrong_credentials_is_refused_with_401(string merchantId, string merchantKey)
    {
        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-V19"), Ct, FinpaySandboxHost.Basic(merchantId, merchantKey));

        Assert.Equal(401, answer.HttpStatus);
        Assert.Equal("4010000", answer.ResponseCode);
        Assert.Empty(_sandbox.Ledger.Entries);
    }

    [Fact]
    public async Task A_bearer_token_is_not_Basic_auth()
    {
        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-V20"), Ct, new AuthenticationHeaderValue("Bearer", "abc"));

        Assert.Equal("4010000", answer.ResponseCode);
    }

    [Fact]
    public async Task A_reused_order_id_is_refused_with_409_and_charged_only_once()
    {
        var first = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-V21"), Ct);
        var second = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-V21", "tok_success_mastercard"), Ct);

        Assert.Equal("2000000", first.ResponseCode);
        Assert.Equal(409, second.HttpStatus);
        Assert.Equal("4090001", second.ResponseCode);
        var entry = Assert.Single(_sandbox.Ledger.Entries);
        Assert.Equal("411111******1111", entry.CardMasked);
        Assert.Equal(2, entry.PaymentRequests);
    }
}

internal static class JsonNodeExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
