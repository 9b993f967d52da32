using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Sandbox.Finpay;
using Xunit;

namespace Payments.Sandbox.Tests.Finpay;

public sealed class FinpayTokenTests : IAsyncLifetime
{
    private FinpaySandboxHost _sandbox = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await FinpaySandboxHost.StartAsync(Ct);

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private async Task<JsonNode> StoreAsync(object request)
    {
        using var response = await _sandbox.Http.PostAsJsonAsync("/finpay/_sandbox/tokens", request, Ct);
        Assert.Equal(201, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    [Theory]
    [InlineData(FinpayTokenVault.SuccessVisa, 200, "2000000", "PAID")]
    [InlineData(FinpayTokenVault.SuccessMastercard, 200, "2000000", "PAID")]
    [InlineData(FinpayTokenVault.SeedSample, 200, "2000000", "PAID")]
    [InlineData(FinpayTokenVault.Declined, 403, "4030005", "FAILED")]
    [InlineData(FinpayTokenVault.InsufficientFunds, 403, "4030014", "FAILED")]
    [InlineData(FinpayTokenVault.ErrorThenSuccess, 504, "5040000", "PAID")]
    [InlineData("tok_nobody_stored_this", 404, "4040011", "FAILED")]
    public async Task Each_seeded_token_has_its_documented_outcome(string token, int httpStatus, string code, string recordedStatus)
    {
        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-T1", token), Ct);

        Assert.Equal(httpStatus, answer.HttpStatus);
        Assert.Equal(code, answer.ResponseCode);
        Assert.Equal(recordedStatus, Assert.Single(_sandbox.Ledger.Entries).Status);
    }

    [Fact]
    public async Task The_timeout_token_is_charged_but_answers_only_after_the_hang_delay()
    {
        var started = TimeProvider.System.GetTimestamp();

        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-T2", FinpayTokenVault.TimeoutThenSuccess), Ct);

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(280));
        Assert.Equal(504, answer.HttpStatus);
        Assert.Equal("5040000", answer.ResponseCode);
        Assert.Equal(FinpayStatus.Paid, Assert.Single(_sandbox.Ledger.Entries).Status);
    }

    [Fact]
    public async Task A_stored_token_is_64_hex_characters_and_charges_its_customer()
    {
        var stored = await StoreAsync(new { customerId = "cust-42", outcome = "success", cardMasked = "520000******0007" });
        var token = stored["token"]!.GetValue<string>();

        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-T3", token), Ct);

        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal("2000000", answer.ResponseCode);
        Assert.Equal("520000******0007", Assert.Single(_sandbox.Ledger.Entries).CardMasked);
    }

    [Fact]
    public async Task A_stored_token_can_be_given_a_declining_outcome()
    {
        var stored = await StoreAsync(new { customerId = "cust-42", outcome = "insufficient_funds" });

        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-T4", stored["token"]!.GetValue<string>()), Ct);

        Assert.Equal("4030014", answer.ResponseCode);
    }

    [Fact]
    public async Task A_stored_token_does_not_serve_another_customer()
    {
        var stored = await StoreAsync(new { customerId = "cust-42" });
        var body = FinpayRequests.Valid("ORD-T5", stored["token"]!.GetValue<string>()).With("customer", "id", "cust-99");

        var answer = await _sandbox.ChargeAsync(body, Ct);

        Assert.Equal("4040011", answer.ResponseCode);
    }

    [Fact]
    public async Task A_deleted_token_can_no_longer_be_charged()
    {
        var stored = await StoreAsync(new { customerId = "cust-42" });
        var token = stored["token"]!.GetValue<string>();

        var deleted = await _sandbox.GetAsync($"/finpay/pg/payment/card/customer/delete/{token}", Ct);
        var deletedAgain = await _sandbox.GetAsync($"/finpay/pg/payment/card/customer/delete/{token}", Ct);
        var charge = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-T6", token), Ct);

        Assert.Equal("2000000", deleted.ResponseCode);
        Assert.Equal("4040011", deletedAgain.ResponseCode);
        Assert.Equal("4040011", charge.ResponseCode);
    }

    [Fact]
    public async Task Deleting_a_token_needs_the_merchants_credentials()
    {
        var answer = await _sandbox.GetAsync(
            $"/finpay/pg/payment/card/customer/delete/{FinpayTokenVault.SuccessVisa}", Ct, FinpaySandboxHost.Basic(merchantKey: "wrong"));
        var charge = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-T7"), Ct);

        Assert.Equal(401, answer.HttpStatus);
        Assert.Equal("2000000", charge.ResponseCode);
    }

    [Theory]
    [InlineData("{\"outcome\":\"success\"}", "customerId")]
    [InlineData("{\"customerId\":\"c\",\"outcome\":\"explode\"}", "outcome")]
    [InlineData("{\"customerId\":\"c\",\"cardMasked\":\"4111111111111111\"}", "cardMasked")]
    public async Task Storing_a_token_refuses_bad_requests_and_takes_no_card_numbers(string body, string field)
    {
        using var response = await _sandbox.Http.PostAsync("/finpay/_sandbox/tokens",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Storing_a_token_needs_a_JSON_body()
    {
        using var response = await _sandbox.Http.PostAsync("/finpay/_sandbox/tokens",
            new StringContent("customerId=cust-42", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        Assert.Equal(400, (int)response.StatusCode);
    }
}
