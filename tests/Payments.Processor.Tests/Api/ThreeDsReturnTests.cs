using Payments.Processor.Api;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;
using Payments.Processor.Payments;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>Where the customer's browser goes after 3-D Secure, and the public address the 3DS link is built on.</summary>
public sealed class ThreeDsReturnTests
{
    private static readonly Guid PaymentId = Guid.Parse("8f600000-0000-0000-0000-000000000001");

    [Theory]
    [InlineData("https://shop.example.com/done", "https://shop.example.com/done?paymentId=8f600000-0000-0000-0000-000000000001&status=Succeeded")]
    [InlineData("https://shop.example.com/done?order=7", "https://shop.example.com/done?order=7&paymentId=8f600000-0000-0000-0000-000000000001&status=Succeeded")]
    [InlineData("https://shop.example.com/done#top", "https://shop.example.com/done?paymentId=8f600000-0000-0000-0000-000000000001&status=Succeeded#top")]
    public void The_return_url_gets_the_payment_id_and_status_in_its_query(string returnUrl, string expected) =>
        Assert.Equal(expected, ThreeDsReturnEndpoint.WithPaymentQuery(returnUrl, PaymentId, "Succeeded"));

    [Theory]
    [InlineData(null, "http://localhost:5080", "http://localhost:5080")]
    [InlineData(null, "http://+:8080;https://+:8443", "http://localhost:8080")]
    [InlineData(null, "http://127.0.0.1:0", null)]
    [InlineData(null, null, null)]
    [InlineData("https://pay.example.com/", "http://+:8080", "https://pay.example.com")]
    public void The_public_url_is_the_configured_one_or_the_first_listening_address(string? configured, string? urls, string? expected) =>
        Assert.Equal(expected, PublicUrlDefault.Resolve(configured, urls));

    [Fact]
    public void A_public_url_that_is_not_an_http_url_stops_start_up_naming_the_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => PublicUrlDefault.Resolve("pay.example.com", null));
        Assert.Equal("Payments:PublicUrl", error.Key);
    }
}
