using Payments.Contracts;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>
/// The demo checkout clicked through in headless Chromium, as `dotnet run` serves it: card form, 3-D Secure challenge,
/// result page at the charge's ReturnUrl. Each test also saves the pages it passes as PNGs (README's screenshots:
/// PAYMENTS_SCREENSHOTS=docs/images).
/// </summary>
public sealed class CheckoutBrowserTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>, IAsyncLifetime
{
    private const string Otp = "123456";

    /// <summary>Singapay's decline answer to the charge, and the provider code its failure callback carries (either may settle it first).</summary>
    private static readonly string[] DeclineCodes = ["SP001", "05"];
    private HeadlessChromium _browser = null!;

    private string Checkout => new Uri(processor.SandboxAddress, "/checkout").AbsoluteUri;

    public async ValueTask InitializeAsync() => _browser = await HeadlessChromium.Launch();

    public async ValueTask DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_card_that_needs_nothing_more_ends_on_the_result_page_as_Succeeded()
    {
        await _browser.Open(Checkout);
        Assert.Contains("4000 0000 0000 3220", await _browser.Text("#test-cards"));
        await _browser.Screenshot("checkout.png");

        var paymentId = await Pay("4111 1111 1111 1111");

        await ResultShows(paymentId, "Succeeded");
        await _browser.Screenshot("result-succeeded.png");
    }

    [Fact]
    public async Task Three_ds_confirmed_with_the_one_time_password_returns_to_the_shop_as_Succeeded()
    {
        await StartThreeDs();
        Assert.Contains("TEST MODE", await _browser.Text("#test-mode"));
        Assert.Equal("Payments demo shop", await _browser.Text("#merchant"));
        Assert.Equal("IDR 150.000", await _browser.Text("#amount"));
        Assert.Equal("400000******3220", await _browser.Text("#card"));
        Assert.Matches(@"^1[45]:\d\d$", await _browser.Text("#countdown"));
        await _browser.Screenshot("3ds-challenge.png");

        await _browser.Fill("#otp", Otp);
        await _browser.ClickAndWaitForNextPage("#confirm");

        var paymentId = ReturnedPaymentId(await _browser.Location(), "Succeeded");
        await ResultShows(paymentId, "Succeeded");
    }

    [Fact]
    public async Task Three_ds_cancelled_returns_to_the_shop_as_Failed()
    {
        await StartThreeDs();

        await _browser.ClickAndWaitForNextPage("#cancel");

        var paymentId = ReturnedPaymentId(await _browser.Location(), "Failed");
        var payment = await ResultShows(paymentId, "Failed");
        Assert.Equal(FailureCodes.ThreeDsNotCompleted, payment.GetProperty("failureCode").GetString());
        Assert.Contains("cancelled", await _browser.Text("#reason"), StringComparison.OrdinalIgnoreCase);
        await _browser.Screenshot("result-3ds-cancelled.png");
    }

    [Fact]
    public async Task A_wrong_one_time_password_is_refused_and_the_payment_waits_for_the_right_one()
    {
        await StartThreeDs();
        var threeDsPage = await _browser.Location();

        await _browser.Fill("#otp", "000000");
        await _browser.ClickAndWaitForNextPage("#confirm");

        Assert.Equal(threeDsPage, await _browser.Location());
        Assert.Equal("The one-time password is incorrect. 2 attempts left.", await _browser.Text(".error"));
        await _browser.Screenshot("3ds-wrong-otp.png");
        var reference = await _browser.Text("dd:nth-of-type(2)");
        Assert.StartsWith("SHOP-", reference, StringComparison.Ordinal);

        await _browser.Fill("#otp", Otp);
        await _browser.ClickAndWaitForNextPage("#confirm");
        var paymentId = ReturnedPaymentId(await _browser.Location(), "Succeeded");
        await ResultShows(paymentId, "Succeeded");
    }

    [Fact]
    public async Task A_declined_card_ends_on_the_result_page_as_Failed_with_the_gateways_reason()
    {
        await _browser.Open(Checkout);

        var paymentId = await Pay("4000 0000 0000 0002");

        var payment = await ResultShows(paymentId, "Failed");
        Assert.Equal(FailureCodes.CardDeclined, payment.GetProperty("failureCode").GetString());
        Assert.Contains(payment.GetProperty("gatewayCode").GetString(), DeclineCodes);
        Assert.StartsWith(payment.GetProperty("failureReason").GetString()!, await _browser.Text("#reason"), StringComparison.Ordinal);
        await _browser.Screenshot("result-declined.png");
    }

    [Fact]
    public async Task The_checkout_page_holds_no_key_and_sends_the_card_only_in_a_form_post()
    {
        await _browser.Open(Checkout);

        var html = await _browser.Html();
        Assert.DoesNotContain(TestApiKeys.Fixture, html, StringComparison.Ordinal);
        Assert.Equal("post", (await _browser.Evaluate("document.querySelector('#checkout').method"))?.GetString());
        var paymentId = await Pay("4111 1111 1111 1111");
        Assert.DoesNotContain("4111", await _browser.Location(), StringComparison.Ordinal);
        await ResultShows(paymentId, "Succeeded");
    }

    /// <summary>Fills the form with <paramref name="card"/>, presses Pay, and returns the payment id the result page names.</summary>
    private async Task<Guid> Pay(string card)
    {
        await _browser.Fill("#cardNumber", card);
        await _browser.Fill("#cvv", "123");
        await _browser.ClickAndWaitForNextPage("#pay");
        await _browser.WaitFor("location.pathname === '/checkout/result'", "the result page");
        return Guid.Parse(await _browser.Text("#payment-id"));
    }

    /// <summary>Pays with the 3-D Secure card and waits for the issuer's challenge page.</summary>
    private async Task StartThreeDs()
    {
        await _browser.Open(Checkout);
        await _browser.Fill("#cardNumber", "4000 0000 0000 3220");
        await _browser.Fill("#cvv", "123");
        await _browser.ClickAndWaitForNextPage("#pay");
        await _browser.WaitFor("location.pathname.startsWith('/singapay/3ds/') && document.querySelector('#otp')", "the 3-D Secure page");
    }

    /// <summary>The ReturnUrl the processor sent the browser to carries the payment id and the status.</summary>
    private static Guid ReturnedPaymentId(string location, string status)
    {
        var url = new Uri(location);
        Assert.Equal("/checkout/result", url.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal(status, query["status"]);
        return Guid.Parse(query["paymentId"]!);
    }

    /// <summary>The result page settles on <paramref name="status"/>, and the processor agrees.</summary>
    private async Task<System.Text.Json.JsonElement> ResultShows(Guid paymentId, string status)
    {
        await _browser.WaitFor($"document.querySelector('#status')?.dataset.status === '{status}'", $"the result page to show {status}");
        Assert.Equal(paymentId.ToString(), await _browser.Text("#payment-id"));
        var payment = await processor.Get(paymentId);
        Assert.Equal(status, payment.GetProperty("status").GetString());
        return payment;
    }
}
