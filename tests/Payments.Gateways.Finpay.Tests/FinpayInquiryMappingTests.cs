using System.Net;
using Xunit;

namespace Payments.Gateways.Finpay.Tests;

public sealed class FinpayInquiryMappingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<InquiryResult> InquireAgainst(CapturingHandler finpay)
    {
        await using var services = FinpayServices.Create(finpay);
        return await services.Gateway.InquireAsync(PaymentReferences.For("ORD-3001"), Ct);
    }

    [Theory]
    [InlineData("PAID", GatewayPaymentStatus.Succeeded)]
    [InlineData("CAPTURED", GatewayPaymentStatus.Succeeded)]
    [InlineData("paid", GatewayPaymentStatus.Succeeded)]
    [InlineData("PENDING", GatewayPaymentStatus.Processing)]
    [InlineData("AUTHORIZED", GatewayPaymentStatus.Processing)]
    [InlineData("FAILED", GatewayPaymentStatus.Failed)]
    [InlineData("DECLINED", GatewayPaymentStatus.Failed)]
    [InlineData("EXPIRED", GatewayPaymentStatus.Failed)]
    [InlineData("VOIDED", GatewayPaymentStatus.Cancelled)]
    [InlineData("REFUNDED", GatewayPaymentStatus.Cancelled)]
    [InlineData("SOMETHING_NEW", GatewayPaymentStatus.Unknown)]
    public async Task The_status_field_maps_to_the_gateway_status(string finpayStatus, GatewayPaymentStatus expected)
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success",
            $$"""{"id":"C-77","status":"{{finpayStatus}}","authorizationCode":"082941","amount":150000,"currency":"IDR"}""");

        var result = await InquireAgainst(finpay);

        Assert.Equal(expected, result.Status);
        Assert.Equal("C-77", result.GatewayTransactionId);
        Assert.Equal("082941", result.AuthorizationCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "4040001")]
    [InlineData(HttpStatusCode.OK, "4040000")]
    public async Task A_404_code_means_Finpay_has_no_such_order(HttpStatusCode status, string code)
    {
        var result = await InquireAgainst(CapturingHandler.Finpay(status, code, "Transaction Not Found"));

        Assert.Equal(GatewayPaymentStatus.NotFound, result.Status);
        Assert.Equal(code, result.ResponseCode);
    }

    [Fact]
    public async Task An_HTTP_404_that_is_not_a_Finpay_answer_is_not_taken_as_not_found()
    {
        // A wrong BaseUrl or a proxy page must not make the processor fail a payment that may exist.
        var result = await InquireAgainst(CapturingHandler.Answering(HttpStatusCode.NotFound, "<html>Not Found</html>", "text/html"));

        Assert.Equal(GatewayPaymentStatus.Unknown, result.Status);
    }

    [Fact]
    public async Task A_5xx_is_unknown_after_the_inquiry_was_retried()
    {
        var finpay = CapturingHandler.Finpay(HttpStatusCode.InternalServerError, "5000000", "General Error");

        var result = await InquireAgainst(finpay);

        Assert.Equal(GatewayPaymentStatus.Unknown, result.Status);
        Assert.Equal(4, finpay.Requests.Count);
    }

    [Fact]
    public async Task A_timeout_is_unknown_and_does_not_throw()
    {
        await using var services = FinpayServices.Create(CapturingHandler.Hanging(), new Dictionary<string, string?>
        {
            ["Gateways:Finpay:Resilience:AttemptTimeout:Inquiry"] = "00:00:00.050",
            ["Gateways:Finpay:Resilience:RetryCount"] = "1",
        });

        var result = await services.Gateway.InquireAsync(PaymentReferences.For("ORD-3002"), Ct);

        Assert.Equal(GatewayPaymentStatus.Unknown, result.Status);
        Assert.Equal("timeout", result.ResponseCode);
    }

    [Fact]
    public async Task A_success_code_without_data_is_unknown()
    {
        var result = await InquireAgainst(CapturingHandler.Finpay(HttpStatusCode.OK, "2000000", "Success"));

        Assert.Equal(GatewayPaymentStatus.Unknown, result.Status);
    }
}
