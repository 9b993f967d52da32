using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Gateways.Singapay;
using Payments.Sandbox;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Sandbox.Tests.Singapay;

/// <summary>Tokens, authorization, response shapes, duplicates, inquiry, cancel and the ledger of the simulated Singapay.</summary>
public sealed class SingapayProtocolTests(SingapaySandboxFixture sandbox) : IClassFixture<SingapaySandboxFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Reference(JsonObject payment) => payment["reference_no"]!.GetValue<string>();

    [Fact]
    public async Task A_correctly_signed_token_request_gets_a_bearer_token_with_expires_in_as_a_string()
    {
        var signature = SingapaySignatures.AccessTokenSignature("sandbox-client-id", "sandbox-client-secret", DateTimeOffset.UtcNow);

        var reply = await sandbox.SendAsync(sandbox.TokenRequest(signature));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(reply.Json!["success"]!.GetValue<bool>());
        Assert.Equal("Bearer", reply.Data!["token_type"]!.GetValue<string>());
        Assert.Equal("3600", reply.Data!["expires_in"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(reply.Data!["access_token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_token_signature_for_another_date_is_refused_with_SP016()
    {
        var jakartaYesterday = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).AddDays(-1).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA512.HashData(
            Encoding.UTF8.GetBytes("sandbox-client-secret"),
            Encoding.UTF8.GetBytes($"sandbox-client-id_sandbox-client-secret_{jakartaYesterday}")));

        var reply = await sandbox.SendAsync(sandbox.TokenRequest(signature));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("SP016", reply.Code);
    }

    [Fact]
    public async Task A_token_signature_made_with_another_secret_is_refused_with_SP016()
    {
        var signature = SingapaySignatures.AccessTokenSignature("sandbox-client-id", "not-the-secret", DateTimeOffset.UtcNow);

        var reply = await sandbox.SendAsync(sandbox.TokenRequest(signature));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("SP016", reply.Code);
    }

    [Theory]
    [InlineData("someone-else", null)]
    [InlineData(null, "another-client")]
    public async Task A_token_request_with_unknown_partner_or_client_is_refused_with_SP016(string? partnerId, string? clientId)
    {
        var signature = SingapaySignatures.AccessTokenSignature("sandbox-client-id", "sandbox-client-secret", DateTimeOffset.UtcNow);

        var reply = await sandbox.SendAsync(sandbox.TokenRequest(signature, partnerId, clientId));

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("SP016", reply.Code);
    }

    [Fact]
    public async Task A_token_request_without_client_credentials_grant_is_SP012()
    {
        var signature = SingapaySignatures.AccessTokenSignature("sandbox-client-id", "sandbox-client-secret", DateTimeOffset.UtcNow);

        var reply = await sandbox.SendAsync(sandbox.TokenRequest(signature, body: """{"grant_type":"password"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SP012", reply.Code);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("")]
    public async Task A_card_call_with_an_invalid_bearer_token_is_SP013(string token)
    {
        var request = await sandbox.CardRequest(HttpMethod.Post, $"api/v2.0/card/{sandbox.AccountId}/payment",
            SingapaySandboxFixture.ValidPayment().ToJsonString(), token: token);

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("SP013", reply.Code);
    }

    [Fact]
    public async Task A_revoked_token_is_SP013()
    {
        var token = await sandbox.TokenAsync();
        sandbox.Sandbox.Services.GetService<SingapayTokenStore>()!.RevokeAll();

        var reply = await sandbox.SendAsync(await sandbox.CardRequest(HttpMethod.Get,
            $"api/v2.0/card/{sandbox.AccountId}/inquiry-status/anything", token: token));

        Assert.Equal("SP013", reply.Code);
    }

    [Fact]
    public async Task A_card_call_with_another_partner_id_is_forbidden()
    {
        var reply = await sandbox.SendAsync(await sandbox.CardRequest(HttpMethod.Get,
            $"api/v2.0/card/{sandbox.AccountId}/inquiry-status/anything", partnerId: "someone-else"));

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("SP015", reply.Code);
    }

    [Fact]
    public async Task An_unknown_merchant_account_is_SP020()
    {
        var request = await sandbox.CardRequest(HttpMethod.Post, "api/v2.0/card/01HUNKNOWNACCOUNT0000000000/payment",
            SingapaySandboxFixture.ValidPayment().ToJsonString());

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("SP020", reply.Code);
    }

    [Fact]
    public async Task An_immediate_success_has_exactly_the_documented_shape()
    {
        var payment = SingapaySandboxFixture.ValidPayment();

        var reply = await sandbox.PayAsync(payment);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("SP000", reply.Code);
        Assert.Equal("Successfully", reply.Message);
        var data = reply.Data!.AsObject();
        Assert.Equal(
            ["transaction_id", "reference_no", "status", "action", "immediate_success", "provider_transaction_id",
             "provider_auth_no", "card_masked", "issuing_bank", "acquiring_bank", "result_code"],
            data.Select(p => p.Key));
        Assert.Matches("^99[0-9A-HJKMNP-TV-Z]{26}$", data["transaction_id"]!.GetValue<string>());
        Assert.Equal(Reference(payment), data["reference_no"]!.GetValue<string>());
        Assert.Equal("processing", data["status"]!.GetValue<string>());
        Assert.Equal("complete", data["action"]!.GetValue<string>());
        Assert.True(data["immediate_success"]!.GetValue<bool>());
        Assert.Equal("411111******1111", data["card_masked"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_3DS_payment_has_the_documented_redirect_shape_and_stays_pending()
    {
        var payment = SingapaySandboxFixture.ValidPayment(SingapayTestCards.ThreeDs);

        var reply = await sandbox.PayAsync(payment);

        var data = reply.Data!.AsObject();
        Assert.Equal(
            ["transaction_id", "reference_no", "status", "action", "requires_3ds", "payment_url", "html_form", "provider_transaction_id"],
            data.Select(p => p.Key));
        Assert.Equal("redirect", data["action"]!.GetValue<string>());
        Assert.Equal("pending", data["status"]!.GetValue<string>());
        Assert.Contains($"/singapay/3ds/{data["transaction_id"]!.GetValue<string>()}", data["html_form"]!.GetValue<string>());
        Assert.Equal("pending", (await sandbox.InquireAsync(Reference(payment))).Data!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_decline_has_the_documented_shape_with_HTTP_400()
    {
        var payment = SingapaySandboxFixture.ValidPayment(SingapayTestCards.Declined);

        var reply = await sandbox.PayAsync(payment);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SP001", reply.Code);
        Assert.Equal(["transaction_id", "reference_no", "status"], reply.Data!.AsObject().Select(p => p.Key));
        Assert.Equal("failed", reply.Data!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_insufficient_funds_card_is_SP003()
    {
        var reply = await sandbox.PayAsync(SingapaySandboxFixture.ValidPayment(SingapayTestCards.InsufficientFunds));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SP003", reply.Code);
    }

    [Fact]
    public async Task A_reused_reference_is_SP004_and_charges_nothing_more()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        var first = await sandbox.PayAsync(payment);

        var second = await sandbox.PayAsync(payment);

        Assert.Equal("SP000", first.Code);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("SP004", second.Code);
        Assert.Equal(1, sandbox.Ledger.ChargesFor(Reference(payment)));
        Assert.Equal(2, sandbox.Ledger.PaymentRequestsFor(Reference(payment)));
    }

    [Fact]
    public async Task A_declined_reference_cannot_be_reused_either()
    {
        var payment = SingapaySandboxFixture.ValidPayment(SingapayTestCards.Declined);
        await sandbox.PayAsync(payment);
        payment["card_number"] = SingapayTestCards.Success;

        Assert.Equal("SP004", (await sandbox.PayAsync(payment)).Code);
    }

    [Fact]
    public async Task With_the_option_on_inquiry_finds_a_payment_by_transaction_id_provider_transaction_id_or_reference()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        var charged = (await sandbox.PayAsync(payment)).Data!;

        string[] ids = [charged["transaction_id"]!.GetValue<string>(), charged["provider_transaction_id"]!.GetValue<string>(), Reference(payment)];
        foreach (var id in ids)
        {
            var reply = await sandbox.InquireAsync(id);
            Assert.Equal("SP000", reply.Code);
            Assert.Equal(charged["transaction_id"]!.GetValue<string>(), reply.Data!["transaction_id"]!.GetValue<string>());
            Assert.Equal("success", reply.Data!["status"]!.GetValue<string>());
            Assert.Equal(100000m, reply.Data!["amount"]!.GetValue<decimal>());
            Assert.NotNull(reply.Data!["completed_at"]);
        }
    }

    [Fact]
    public async Task By_default_inquiry_takes_only_Singapays_ids_and_a_reference_is_SP009()
    {
        var strict = new SandboxOptions();
        Assert.False(strict.Singapay.InquiryByReference);
        var payment = SingapaySandboxFixture.ValidPayment();
        var charged = (await sandbox.PayAsync(payment)).Data!;

        sandbox.Options.Singapay.InquiryByReference = false;
        try
        {
            var byReference = await sandbox.InquireAsync(Reference(payment));
            var byTransactionId = await sandbox.InquireAsync(charged["transaction_id"]!.GetValue<string>());
            var byProviderId = await sandbox.InquireAsync(charged["provider_transaction_id"]!.GetValue<string>());

            Assert.Equal(HttpStatusCode.NotFound, byReference.Status);
            Assert.Equal("SP009", byReference.Code);
            Assert.Equal("SP000", byTransactionId.Code);
            Assert.Equal("SP000", byProviderId.Code);
        }
        finally
        {
            sandbox.Options.Singapay.InquiryByReference = true;
        }
    }

    [Fact]
    public async Task Inquiry_of_an_unknown_id_is_SP009()
    {
        var reply = await sandbox.InquireAsync("ORD-NEVER-SEEN");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("SP009", reply.Code);
    }

    [Fact]
    public async Task An_accepted_payment_stays_processing_until_its_settle_delay_has_passed()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        sandbox.Simulation.SettleDelay = TimeSpan.FromHours(1);
        try
        {
            await sandbox.PayAsync(payment);
        }
        finally
        {
            sandbox.Simulation.SettleDelay = TimeSpan.Zero;
        }

        Assert.Equal("processing", (await sandbox.InquireAsync(Reference(payment))).Data!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_a_processing_payment_voids_it()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        sandbox.Simulation.SettleDelay = TimeSpan.FromHours(1);
        try
        {
            await sandbox.PayAsync(payment);
        }
        finally
        {
            sandbox.Simulation.SettleDelay = TimeSpan.Zero;
        }

        var reply = await sandbox.CancelAsync(Reference(payment));

        Assert.Equal("SP000", reply.Code);
        Assert.Equal("success", reply.Data!["status"]!.GetValue<string>());
        Assert.Equal("void", reply.Data!["cancel_type"]!.GetValue<string>());
        Assert.Equal("cancelled", sandbox.Ledger.Find(Reference(payment))!.Status);
    }

    [Fact]
    public async Task Cancelling_a_successful_payment_refunds_it_and_a_failed_one_cannot_be_cancelled()
    {
        var success = SingapaySandboxFixture.ValidPayment();
        var declined = SingapaySandboxFixture.ValidPayment(SingapayTestCards.Declined);
        await sandbox.PayAsync(success);
        await sandbox.PayAsync(declined);
        await sandbox.InquireAsync(Reference(success));

        var refund = await sandbox.CancelAsync(Reference(success));
        var refused = await sandbox.CancelAsync(Reference(declined));
        var unknown = await sandbox.CancelAsync("ORD-NEVER-SEEN");

        Assert.Equal("refund", refund.Data!["cancel_type"]!.GetValue<string>());
        Assert.Equal("refunded", (await sandbox.InquireAsync(Reference(success))).Data!["status"]!.GetValue<string>());
        Assert.Equal("SP019", refused.Code);
        Assert.Equal("SP009", unknown.Code);
    }

    [Fact]
    public async Task The_ledger_records_each_charge_once_with_the_masked_PAN_only()
    {
        var success = SingapaySandboxFixture.ValidPayment();
        var threeDs = SingapaySandboxFixture.ValidPayment(SingapayTestCards.ThreeDs);
        var declined = SingapaySandboxFixture.ValidPayment(SingapayTestCards.Declined);
        success["installment"] = true;
        success["installment_month"] = "12";
        foreach (var payment in new[] { success, threeDs, declined })
            await sandbox.PayAsync(payment);
        await sandbox.InquireAsync(Reference(success));

        using var response = await sandbox.Http.GetAsync("_sandbox/ledger", Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);
        var entries = JsonNode.Parse(json)!.AsArray();

        JsonNode Entry(JsonObject payment) => Assert.Single(entries, e => e!["reference_no"]!.GetValue<string>() == Reference(payment))!;
        Assert.Equal("success", Entry(success)["status"]!.GetValue<string>());
        Assert.Equal(12, Entry(success)["installment_months"]!.GetValue<int>());
        Assert.Equal(100000m, Entry(success)["amount"]!.GetValue<decimal>());
        Assert.Equal("pending", Entry(threeDs)["status"]!.GetValue<string>());
        Assert.Equal("failed", Entry(declined)["status"]!.GetValue<string>());
        Assert.Equal("400000******0002", Entry(declined)["card_masked"]!.GetValue<string>());
        Assert.All(new[] { success, threeDs, declined }, p => Assert.Equal(1, Entry(p)["charges"]!.GetValue<int>()));
        Assert.DoesNotContain(SingapayTestCards.Success, json);
        Assert.DoesNotContain(SingapayTestCards.ThreeDs, json);
        var values = entries.SelectMany(e => e!.AsObject()).ToList();
        Assert.DoesNotContain(values, field => field.Key.Contains("cvv") || field.Key.Contains("expiry") || field.Key == "card_number");
        Assert.DoesNotContain(values, field => field.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String
                                               && field.Value.GetValue<string>() == success["card_cvv"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_status_fault_answers_SP002_without_charging()
    {
        var payment = SingapaySandboxFixture.ValidPayment();

        var reply = await sandbox.PayAsync(payment, request => request.Headers.Add("X-Sandbox-Fault", "status=503"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
        Assert.Equal("SP002", reply.Code);
        Assert.Equal(0, sandbox.Ledger.ChargesFor(Reference(payment)));
    }

    [Fact]
    public async Task A_timeout_fault_charges_and_then_holds_the_answer_until_the_client_gives_up()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        using var impatient = new HttpClient { BaseAddress = sandbox.Http.BaseAddress, Timeout = TimeSpan.FromMilliseconds(500) };
        var request = await sandbox.CardRequest(HttpMethod.Post, $"api/v2.0/card/{sandbox.AccountId}/payment", payment.ToJsonString());
        request.Headers.Add("X-Sandbox-Fault", "timeout");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sandbox.SendAsync(request, impatient));

        Assert.Equal(1, sandbox.Ledger.ChargesFor(Reference(payment)));
        Assert.Equal("success", (await sandbox.InquireAsync(Reference(payment))).Data!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_latency_fault_delays_the_answer()
    {
        var started = DateTime.UtcNow;

        var reply = await sandbox.PayAsync(SingapaySandboxFixture.ValidPayment(), request => request.Headers.Add("X-Sandbox-Fault", "latency=300"));

        Assert.Equal("SP000", reply.Code);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(290));
    }

    [Fact]
    public async Task The_SP005_card_answers_upstream_timeout_though_the_charge_went_through()
    {
        var payment = SingapaySandboxFixture.ValidPayment(SingapayTestCards.UpstreamTimeout);

        var reply = await sandbox.PayAsync(payment);

        Assert.Equal("SP005", reply.Code);
        Assert.Null(reply.Data!["transaction_id"]);
        Assert.Equal("success", (await sandbox.InquireAsync(Reference(payment))).Data!["status"]!.GetValue<string>());
    }
}
