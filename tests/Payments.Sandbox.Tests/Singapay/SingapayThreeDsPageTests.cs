using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Payments.Gateways;
using Payments.Gateways.Singapay;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Sandbox.Tests.Singapay;

/// <summary>The issuer's 3-D Secure page: what it shows, the one-time password it asks for, and where it sends the browser.</summary>
public sealed class SingapayThreeDsPageTests(SingapaySandboxFixture sandbox) : IClassFixture<SingapaySandboxFixture>
{
    private const string ReturnUrl = "http://127.0.0.1:1/payments/return";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly SingapayCallbackVerifier Verifier = new(Options.Create(new SingapayOptions()), TimeProvider.System);

    [Fact]
    public async Task The_page_shows_the_merchant_the_amount_the_masked_card_a_password_field_and_the_time_left()
    {
        var (transactionId, _) = await ThreeDsPayment();

        var page = await sandbox.Http.GetStringAsync($"3ds/{transactionId}", Ct);

        Assert.Contains("TEST MODE", page, StringComparison.Ordinal);
        Assert.Contains(">Payments demo shop<", page, StringComparison.Ordinal);
        Assert.Contains(">IDR 150.000<", page, StringComparison.Ordinal);
        Assert.Contains(">400000******3220<", page, StringComparison.Ordinal);
        Assert.DoesNotContain(SingapayTestCards.ThreeDs, page, StringComparison.Ordinal);
        Assert.Contains("name=\"otp\"", page, StringComparison.Ordinal);
        Assert.Matches("data-seconds=\"(89[0-9]|900)\"", page);
    }

    [Fact]
    public async Task Three_wrong_passwords_fail_the_authentication_and_send_the_failure_callback()
    {
        var (transactionId, reference) = await ThreeDsPayment();

        using var first = await Decide(transactionId, "confirm", "000000");
        using var second = await Decide(transactionId, "confirm", "");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        Assert.Contains("2 attempts left", await first.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("1 attempt left", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("pending", sandbox.Ledger.Find(reference)!.Status);

        using var third = await Decide(transactionId, "confirm", "654321");

        Assert.Equal("failed", sandbox.Ledger.Find(reference)!.Status);
        Assert.Equal("3DS", sandbox.Ledger.Find(reference)!.ProviderResultCode);
        var callback = Verifier.Verify(Assert.Single(await sandbox.CallbacksFor(reference, 1)));
        Assert.Equal(GatewayPaymentStatus.Failed, callback.Report!.Status);
    }

    [Theory]
    [InlineData("confirm", "success")]
    [InlineData("cancel", "failed")]
    public async Task Once_decided_the_browser_goes_to_the_return_address_with_the_transaction_and_the_reference(string action, string status)
    {
        var (transactionId, reference) = await ThreeDsPayment();

        using var decided = await Decide(transactionId, action, "123456");

        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        Assert.Equal($"{ReturnUrl}?transaction_id={transactionId}&reference_no={reference}", decided.Headers.Location!.OriginalString);
        Assert.Equal(status, sandbox.Ledger.Find(reference)!.Status);
    }

    private async Task<(string TransactionId, string Reference)> ThreeDsPayment()
    {
        sandbox.Options.Singapay.ThreeDsReturnUrl = ReturnUrl;
        var payment = SingapaySandboxFixture.ValidPayment(SingapayTestCards.ThreeDs);
        payment["amount"] = 150000;
        var reply = await sandbox.PayAsync(payment);
        return (reply.Data!["transaction_id"]!.GetValue<string>(), payment["reference_no"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> Decide(string transactionId, string action, string otp)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sandbox.Http.BaseAddress };
        return await browser.PostAsync($"3ds/{transactionId}", new FormUrlEncodedContent([new("action", action), new("otp", otp)]), Ct);
    }
}
