using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Payments.Gateways.Singapay.Tests.Support;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

/// <summary>How each Singapay answer becomes a port result, against an in-memory Singapay.</summary>
public sealed class SingapayGatewayMappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(ChargeResult Result, StubSingapay Stub)> ChargeAgainst(Func<RecordedRequest, HttpResponseMessage> answer)
    {
        var stub = new StubSingapay { CardApi = request => Task.FromResult(answer(request)) };
        await using var harness = GatewayHarness.Create(stub);
        var result = await harness.Gateway.ChargeAsync(Charges.Valid(), Ct);
        return (result, stub);
    }

    [Fact]
    public async Task SP000_with_action_complete_is_accepted_with_the_gateway_ids()
    {
        var (result, _) = await ChargeAgainst(_ => StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully", """
            {"transaction_id":"9901JAB3CD4E5F6G7H8J9K0M1N2","reference_no":"ORD-1","status":"processing","action":"complete",
             "immediate_success":true,"provider_transaction_id":"IONPAYTEST01202602251234567890","provider_auth_no":"123456",
             "card_masked":"411111******1111","issuing_bank":"CIMB","acquiring_bank":"CIMB","result_code":"0000"}
            """));

        Assert.Equal(ChargeResultKind.Accepted, result.Kind);
        Assert.Equal("9901JAB3CD4E5F6G7H8J9K0M1N2", result.GatewayTransactionId);
        Assert.Equal("IONPAYTEST01202602251234567890", result.ProviderTransactionId);
        Assert.Equal("123456", result.AuthorizationCode);
        Assert.Equal("411111******1111", result.CardMasked);
        Assert.Equal("SP000", result.ResponseCode);
    }

    [Fact]
    public async Task SP000_with_action_redirect_requires_3DS_with_the_html_form()
    {
        var (result, _) = await ChargeAgainst(_ => StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully", """
            {"transaction_id":"99TX","reference_no":"ORD-1","status":"pending","action":"redirect","requires_3ds":true,
             "payment_url":"https://3ds.bank.test/acs?tx=99TX","html_form":"<html><form>3ds</form></html>",
             "provider_transaction_id":"IONPAY-1"}
            """));

        Assert.Equal(ChargeResultKind.RedirectRequired, result.Kind);
        Assert.Equal("<html><form>3ds</form></html>", result.RedirectHtml);
        Assert.Equal("https://3ds.bank.test/acs?tx=99TX", result.PaymentUrl);
        Assert.Equal("99TX", result.GatewayTransactionId);
    }

    [Fact]
    public async Task A_payment_url_that_is_HTML_is_not_passed_on_as_a_URL()
    {
        var (result, _) = await ChargeAgainst(_ => StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully", """
            {"transaction_id":"99TX","status":"pending","action":"redirect","requires_3ds":true,"payment_url":"<html>a</html>","html_form":"<html>b</html>"}
            """));

        Assert.Equal(ChargeResultKind.RedirectRequired, result.Kind);
        Assert.Equal("<html>b</html>", result.RedirectHtml);
        Assert.Null(result.PaymentUrl);
    }

    [Theory]
    [InlineData("SP001", "Payment declined by issuer", "card_declined")]
    [InlineData("SP001", "Card Expiri Date Check Please.", "expired_card")]
    [InlineData("SP003", "Insufficient balance", "insufficient_funds")]
    [InlineData("SP006", "Beneficiary limit exceeded", "gateway_rejected")]
    [InlineData("SP007", "Account limit exceeded", "gateway_rejected")]
    [InlineData("SP008", "Invalid reference number", "validation")]
    [InlineData("SP010", "Beneficiary account not found", "gateway_rejected")]
    [InlineData("SP011", "Vendor not active", "gateway_rejected")]
    [InlineData("SP012", "Bad request", "validation")]
    [InlineData("SP014", "Not found", "gateway_rejected")]
    [InlineData("SP015", "Forbidden", "gateway_rejected")]
    [InlineData("SP016", "Invalid signature", "gateway_rejected")]
    [InlineData("SP017", "IP not whitelisted", "gateway_rejected")]
    [InlineData("SP018", "The customer_email field must be a valid email address.", "validation")]
    [InlineData("SP019", "General error", "gateway_rejected")]
    [InlineData("SP020", "Merchant account not found", "gateway_rejected")]
    public async Task Definitive_refusals_are_declined_keeping_code_and_message(string code, string message, string failureCode)
    {
        var (result, stub) = await ChargeAgainst(_ => StubSingapay.Envelope(HttpStatusCode.BadRequest, code, message,
            """{"transaction_id":"99DECLINED","reference_no":"ORD-1","status":"failed"}"""));

        Assert.Equal(ChargeResultKind.Declined, result.Kind);
        Assert.Equal(code, result.ResponseCode);
        Assert.Equal(message, result.ResponseMessage);
        Assert.Equal(failureCode, result.FailureCode);
        Assert.Single(stub.CardRequests);
    }

    [Theory]
    [InlineData("SP002", HttpStatusCode.InternalServerError)]
    [InlineData("SP004", HttpStatusCode.BadRequest)]
    [InlineData("SP005", HttpStatusCode.GatewayTimeout)]
    [InlineData("SP009", HttpStatusCode.NotFound)]
    [InlineData("SP099", HttpStatusCode.BadRequest)]
    public async Task Answers_that_leave_the_charge_in_doubt_are_outcome_unknown_and_never_resent(string code, HttpStatusCode status)
    {
        var (result, stub) = await ChargeAgainst(_ => StubSingapay.Envelope(status, code, "whatever", """{"reference_no":"ORD-1"}"""));

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal(code, result.ResponseCode);
        Assert.Single(stub.CardRequests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "<html>502 Bad Gateway</html>")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "")]
    [InlineData(HttpStatusCode.OK, "{\"response_code\":\"SP000\",\"data\":")]
    [InlineData(HttpStatusCode.OK, "{\"data\":{}}")]
    public async Task Unreadable_answers_are_outcome_unknown(HttpStatusCode status, string body)
    {
        var (result, _) = await ChargeAgainst(_ => StubSingapay.Json(status, body));

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal($"HTTP {(int)status}", result.ResponseCode);
    }

    [Fact]
    public async Task SP000_with_an_unknown_action_is_outcome_unknown()
    {
        var (result, _) = await ChargeAgainst(_ => StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully", """{"action":"later"}"""));

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
    }

    [Fact]
    public async Task A_charge_that_times_out_is_outcome_unknown_and_sent_once()
    {
        var stub = new StubSingapay
        {
            CardApi = async request =>
            {
                await Task.Delay(TimeSpan.FromSeconds(10), request.Aborted);
                return StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "late");
            },
        };
        await using var harness = GatewayHarness.Create(stub, settings: new Dictionary<string, string?>
        {
            ["Gateways:Singapay:Resilience:AttemptTimeout:Charge"] = "00:00:00.200",
        });

        var result = await harness.Gateway.ChargeAsync(Charges.Valid(), Ct);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal("timeout", result.ResponseCode);
        Assert.Single(stub.CardRequests);
    }

    [Fact]
    public async Task A_connection_reset_after_sending_is_outcome_unknown()
    {
        var stub = new StubSingapay
        {
            CardApi = _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
        };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.ChargeAsync(Charges.Valid(), Ct);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.StartsWith("transport", result.ResponseCode);
    }

    [Fact]
    public async Task A_refused_connection_throws_GatewayUnavailableException_because_nothing_was_sent()
    {
        var stub = new StubSingapay
        {
            CardApi = _ => throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)),
        };
        await using var harness = GatewayHarness.Create(stub);

        var exception = await Assert.ThrowsAsync<GatewayUnavailableException>(() => harness.Gateway.ChargeAsync(Charges.Valid(), Ct));
        Assert.Equal("Singapay", exception.Gateway);
    }

    [Fact]
    public async Task The_payment_body_is_snake_case_with_every_documented_field_and_installments()
    {
        var stub = new StubSingapay();
        await using var harness = GatewayHarness.Create(stub);
        var charge = Charges.Valid(reference: "ORD-BODY-1", installmentMonths: 6) with { AccountId = "01HACCOUNT" };

        await harness.Gateway.ChargeAsync(charge, Ct);

        var request = Assert.Single(stub.CardRequests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/singapay/api/v2.0/card/01HACCOUNT/payment", request.Path);
        Assert.Equal("Bearer token-1", request.Header("Authorization"));
        Assert.Equal("sandbox-api-key", request.Header("X-PARTNER-ID"));
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(100_000, root.GetProperty("amount").GetInt64());
        Assert.Equal("ORD-BODY-1", root.GetProperty("reference_no").GetString());
        Assert.Equal("4111111111111111", root.GetProperty("card_number").GetString());
        Assert.Equal(charge.Card!.Expiry, root.GetProperty("card_expiry").GetString());
        Assert.Equal("ID", root.GetProperty("customer_country").GetString());
        Assert.True(root.GetProperty("installment").GetBoolean());
        Assert.Equal("6", root.GetProperty("installment_month").GetString());
        string[] expected =
        [
            "amount", "goods_name", "customer_name", "customer_email", "customer_phone", "customer_address", "customer_city",
            "customer_state", "customer_postal_code", "customer_country", "reference_no", "card_number", "card_expiry",
            "card_cvv", "card_holder_name", "card_holder_email", "description", "installment", "installment_month",
        ];
        Assert.Equal(expected, root.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_full_payment_sends_no_installment_fields()
    {
        var stub = new StubSingapay();
        await using var harness = GatewayHarness.Create(stub);

        await harness.Gateway.ChargeAsync(Charges.Valid(), Ct);

        using var body = JsonDocument.Parse(Assert.Single(stub.CardRequests).Body);
        Assert.False(body.RootElement.TryGetProperty("installment", out _));
        Assert.False(body.RootElement.TryGetProperty("installment_month", out _));
    }

    [Theory]
    [InlineData("pending", GatewayPaymentStatus.Pending)]
    [InlineData("processing", GatewayPaymentStatus.Processing)]
    [InlineData("success", GatewayPaymentStatus.Succeeded)]
    [InlineData("failed", GatewayPaymentStatus.Failed)]
    [InlineData("cancelled", GatewayPaymentStatus.Cancelled)]
    [InlineData("refunded", GatewayPaymentStatus.Cancelled)]
    [InlineData("mystery", GatewayPaymentStatus.Unknown)]
    public async Task Inquiry_statuses_map_to_the_port(string status, GatewayPaymentStatus expected)
    {
        var stub = new StubSingapay
        {
            CardApi = _ => Task.FromResult(StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully", $$"""
                {"transaction_id":"99TX","reference_no":"ORD-1","amount":100000,"status":"{{status}}","provider_auth_no":"654321",
                 "card_masked":"411111******1111","provider_result_code":"05","provider_result_message":"Do not honor"}
                """)),
        };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD-1", "99TX", null), Ct);

        Assert.Equal(expected, result.Status);
        Assert.Equal("99TX", result.GatewayTransactionId);
        Assert.Equal("654321", result.AuthorizationCode);
        Assert.Equal("/singapay/api/v2.0/card/01K5G4FZZ18DMK0M5QTR8Y9QY9/inquiry-status/99TX", Assert.Single(stub.CardRequests).Path);
    }

    [Fact]
    public async Task A_failed_inquiry_keeps_the_provider_result()
    {
        var stub = new StubSingapay
        {
            CardApi = _ => Task.FromResult(StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully",
                """{"transaction_id":"99TX","status":"failed","provider_result_code":"51","provider_result_message":"Insufficient funds"}""")),
        };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD-1", "99TX", null), Ct);

        Assert.Equal(GatewayPaymentStatus.Failed, result.Status);
        Assert.Equal("51", result.ResponseCode);
        Assert.Equal("Insufficient funds", result.ResponseMessage);
    }

    [Fact]
    public async Task Without_a_gateway_id_the_inquiry_asks_by_merchant_reference()
    {
        var stub = new StubSingapay();
        await using var harness = GatewayHarness.Create(stub);

        await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD/with space", null, "01HOTHER"), Ct);

        Assert.Equal("/singapay/api/v2.0/card/01HOTHER/inquiry-status/ORD%2Fwith%20space", Assert.Single(stub.CardRequests).Path);
    }

    [Fact]
    public async Task SP009_on_inquiry_is_not_found()
    {
        var stub = new StubSingapay { CardApi = _ => Task.FromResult(StubSingapay.Envelope(HttpStatusCode.NotFound, "SP009", "Transaction not found")) };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD-1", null, null), Ct);

        Assert.Equal(GatewayPaymentStatus.NotFound, result.Status);
        Assert.Equal("SP009", result.ResponseCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "SP002")]
    [InlineData(HttpStatusCode.GatewayTimeout, "SP005")]
    [InlineData(HttpStatusCode.NotFound, "SP020")]
    public async Task Inquiry_errors_are_unknown_not_thrown(HttpStatusCode status, string code)
    {
        var stub = new StubSingapay { CardApi = _ => Task.FromResult(StubSingapay.Envelope(status, code, "trouble")) };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD-1", "99TX", null), Ct);

        Assert.Equal(GatewayPaymentStatus.Unknown, result.Status);
        Assert.Equal(code, result.ResponseCode);
    }

    [Fact]
    public async Task An_inquiry_that_cannot_reach_Singapay_is_unknown_not_thrown()
    {
        var stub = new StubSingapay
        {
            CardApi = _ => throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)),
        };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.InquireAsync(new GatewayPaymentReference("ORD-1", "99TX", null), Ct);

        Assert.Equal(GatewayPaymentStatus.Unknown, result.Status);
        Assert.Equal("unavailable", result.ResponseCode);
    }

    [Theory]
    [InlineData("void")]
    [InlineData("refund")]
    public async Task A_successful_cancel_reports_its_type(string cancelType)
    {
        var stub = new StubSingapay
        {
            CardApi = _ => Task.FromResult(StubSingapay.Envelope(HttpStatusCode.OK, "SP000", "Successfully",
                $$"""{"transaction_id":"99TX","reference_no":"ORD-1","status":"success","cancel_type":"{{cancelType}}"}""")),
        };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.CancelAsync(new GatewayPaymentReference("ORD-1", "99TX", null), Ct);

        Assert.True(result.Cancelled);
        Assert.Equal(cancelType, result.CancelType);
        var request = Assert.Single(stub.CardRequests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/singapay/api/v2.0/card/01K5G4FZZ18DMK0M5QTR8Y9QY9/cancel/99TX", request.Path);
    }

    [Fact]
    public async Task A_refused_cancel_is_not_cancelled_and_keeps_the_code()
    {
        var stub = new StubSingapay { CardApi = _ => Task.FromResult(StubSingapay.Envelope(HttpStatusCode.BadRequest, "SP019", "Cannot cancel")) };
        await using var harness = GatewayHarness.Create(stub);

        var result = await harness.Gateway.CancelAsync(new GatewayPaymentReference("ORD-1", "99TX", null), Ct);

        Assert.False(result.Cancelled);
        Assert.Equal("SP019", result.ResponseCode);
    }
}
