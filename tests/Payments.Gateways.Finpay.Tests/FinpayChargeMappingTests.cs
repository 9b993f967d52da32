using System.Net;
using System.Net.Sockets;
using Payments.Testing;
using Xunit;

namespace Payments.Gateways.Finpay.Tests;

public sealed class FinpayChargeMappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ChargeResult> ChargeAgainst(CapturingHandler finpay, IDictionary<string, string?>? settings = null)
    {
        await using var services = FinpayServices.Create(finpay, settings);
        return await services.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-2001"), Ct);
    }

    [Fact]
    public async Task Code_2000000_is_accepted_with_Finpays_payment_id_and_authorization_code()
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success", """
            {"acquirer":{"batch":20230531,"id":"CIMB_S2I","transactionId":"123456789"},"amount":150000,
             "authorizationCode":"082941","currency":"IDR","id":"C-46081b76","reference":"C-46081b76","stan":"83950","type":"CAPTURE"}
            """);

        var result = await ChargeAgainst(finpay);

        Assert.Equal(ChargeResultKind.Accepted, result.Kind);
        Assert.Equal("C-46081b76", result.GatewayTransactionId);
        Assert.Equal("123456789", result.ProviderTransactionId);
        Assert.Equal("082941", result.AuthorizationCode);
        Assert.Equal("2000000", result.ResponseCode);
        Assert.Null(result.CardMasked);
        Assert.Null(result.RedirectHtml);
    }

    [Fact]
    public async Task Numbers_where_strings_were_expected_are_still_read()
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success",
            """{"acquirer":{"transactionId":123456789},"authorizationCode":82941,"id":"C-1"}""");

        var result = await ChargeAgainst(finpay);

        Assert.Equal(ChargeResultKind.Accepted, result.Kind);
        Assert.Equal("123456789", result.ProviderTransactionId);
        Assert.Equal("82941", result.AuthorizationCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "4030005", "Do Not Honor")]
    [InlineData(HttpStatusCode.Forbidden, "4030014", "Insufficient Funds")]
    [InlineData(HttpStatusCode.BadRequest, "4000001", "Invalid Field Format order.amount")]
    [InlineData(HttpStatusCode.NotFound, "4040011", "Invalid Card Token")]
    [InlineData(HttpStatusCode.Unauthorized, "4010000", "Unauthorized")]
    [InlineData(HttpStatusCode.OK, "4020000", "Declined")]
    public async Task Codes_starting_with_4_are_declined_keeping_code_and_message(HttpStatusCode status, string code, string message)
    {
        var result = await ChargeAgainst(CapturingHandler.Finpay(status, code, message));

        Assert.Equal(ChargeResultKind.Declined, result.Kind);
        Assert.Equal(code, result.ResponseCode);
        Assert.Equal(message, result.ResponseMessage);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "5000000", "General Error")]
    [InlineData(HttpStatusCode.GatewayTimeout, "5040000", "Timeout")]
    [InlineData(HttpStatusCode.Conflict, "4090001", "Duplicate order.id")]
    [InlineData(HttpStatusCode.Accepted, "2020000", "Request In Progress")]
    public async Task Codes_5xx_409_and_unknown_ones_leave_the_outcome_unknown(HttpStatusCode status, string code, string message)
    {
        var result = await ChargeAgainst(CapturingHandler.Finpay(status, code, message));

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal(code, result.ResponseCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "<html><body>502 Bad Gateway</body></html>", "text/html")]
    [InlineData(HttpStatusCode.OK, "{\"responseCode\":\"20000", "application/json")]
    [InlineData(HttpStatusCode.OK, "{\"status\":\"ok\"}", "application/json")]
    [InlineData(HttpStatusCode.OK, "", "application/json")]
    public async Task An_unreadable_answer_leaves_the_outcome_unknown(HttpStatusCode status, string body, string mediaType)
    {
        var result = await ChargeAgainst(CapturingHandler.Answering(status, body, mediaType));

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal($"http_{(int)status}", result.ResponseCode);
    }

    [Fact]
    public async Task A_timeout_leaves_the_outcome_unknown_and_the_charge_is_sent_once()
    {
        var finpay = CapturingHandler.Hanging();

        var result = await ChargeAgainst(finpay, new Dictionary<string, string?>
        {
            ["Gateways:Finpay:Resilience:AttemptTimeout:Charge"] = "00:00:00.200",
        });

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal("timeout", result.ResponseCode);
        Assert.Single(finpay.Requests);
    }

    [Fact]
    public async Task A_5xx_charge_is_not_retried()
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.ServiceUnavailable, "5030000", "Service Unavailable");

        await ChargeAgainst(finpay);

        Assert.Single(finpay.Requests);
    }

    [Fact]
    public async Task A_refused_connection_throws_GatewayUnavailableException()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var services = FinpayServices.Create(settings: new Dictionary<string, string?>
        {
            ["Gateways:Finpay:BaseUrl"] = $"http://127.0.0.1:{closedPort}/finpay",
        });

        var failure = await Assert.ThrowsAsync<GatewayUnavailableException>(
            () => services.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-2002"), Ct));

        Assert.Equal("Finpay", failure.Gateway);
    }

    [Fact]
    public async Task The_prefix_rules_are_configurable()
    {
        var settings = new Dictionary<string, string?> { ["Gateways:Finpay:ResponseCodes:OutcomeUnknownPrefixes"] = "5,409,429" };

        var rateLimited = await ChargeAgainst(CapturingHandler.Finpay(HttpStatusCode.TooManyRequests, "4290000", "Too Many Requests"), settings);
        var declined = await ChargeAgainst(CapturingHandler.Finpay(HttpStatusCode.Forbidden, "4030005", "Do Not Honor"), settings);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, rateLimited.Kind);
        Assert.Equal(ChargeResultKind.Declined, declined.Kind);
    }

    [Fact]
    public async Task A_charge_without_a_stored_card_is_declined_without_calling_Finpay()
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success");
        await using var services = FinpayServices.Create(finpay);

        var result = await services.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-2003") with { StoredCard = null }, Ct);

        Assert.Equal(ChargeResultKind.Declined, result.Kind);
        Assert.Equal("no_stored_card", result.ResponseCode);
        Assert.Empty(finpay.Requests);
    }

    [Fact]
    public async Task Cancel_cancels_nothing_because_Finpay_has_no_public_cancel_API()
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success");
        await using var services = FinpayServices.Create(finpay);

        var result = await services.Gateway.CancelAsync(PaymentReferences.For("ORD-2004", "C-1"), Ct);

        Assert.False(result.Cancelled);
        Assert.Equal("Finpay has no public cancel API: void or refund the payment in Finpay's dashboard", result.ResponseMessage);
        Assert.Empty(finpay.Requests);
    }
}
