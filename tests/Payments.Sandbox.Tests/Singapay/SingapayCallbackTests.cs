using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Payments.Gateways;
using Payments.Gateways.Singapay;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Sandbox.Tests.Singapay;

/// <summary>Signed callbacks from the sandbox, received by a local listener and checked with the adapter's own verifier.</summary>
public sealed class SingapayCallbackTests(SingapaySandboxFixture sandbox) : IClassFixture<SingapaySandboxFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The adapter's defaults equal the sandbox's default credentials.
    private static readonly SingapayCallbackVerifier Verifier = new(Options.Create(new SingapayOptions()), TimeProvider.System);

    private static string Reference(JsonObject payment) => payment["reference_no"]!.GetValue<string>();

    [Fact]
    public async Task A_successful_payment_sends_one_callback_that_the_adapter_verifies()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        var charged = (await sandbox.PayAsync(payment)).Data!;

        var callback = Assert.Single(await sandbox.CallbacksFor(Reference(payment), 1));
        var verification = Verifier.Verify(callback);

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Equal(Reference(payment), verification.MerchantReference);
        Assert.Equal(GatewayPaymentStatus.Succeeded, verification.Report!.Status);
        Assert.Equal(charged["transaction_id"]!.GetValue<string>(), verification.Report.GatewayTransactionId);
        Assert.Equal(charged["provider_auth_no"]!.GetValue<string>(), verification.Report.AuthorizationCode);
        Assert.Equal("411111******1111", verification.Report.CardMasked);
        Assert.Equal("POST", callback.Method);
        Assert.Equal(SingapaySandboxFixture.CallbackPath, callback.PathAndQuery);
        Assert.Equal("SingaPaymentGateway/1.0", callback.Headers["User-Agent"]);
        Assert.Equal("sandbox-api-key", callback.Headers["X-PARTNER-ID"]);
        Assert.StartsWith("Bearer ", callback.Headers["Authorization"]);
        // The sandbox counts a delivery once our 2xx is back, a moment after the listener has the callback.
        await WaitUntil(() => sandbox.Ledger.Find(Reference(payment))!.CallbacksDelivered == 1);
    }

    [Fact]
    public async Task The_callback_body_follows_the_assumed_card_envelope()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        await sandbox.PayAsync(payment);

        var callback = Assert.Single(await sandbox.CallbacksFor(Reference(payment), 1));
        var body = JsonNode.Parse(callback.Body)!;

        Assert.Equal(200, body["status"]!.GetValue<int>());
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal("card.payment.status", body["event"]!.GetValue<string>());
        Assert.True(DateTime.TryParseExact(body["timestamp"]!.GetValue<string>(), "dd MMM yyyy HH:mm:ss",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        var data = body["data"]!;
        Assert.Equal("success", data["status"]!.GetValue<string>());
        Assert.Equal(100000m, data["amount"]!.GetValue<decimal>());
        Assert.NotNull(data["completed_at"]);
        Assert.Null(data["failed_at"]);
    }

    [Fact]
    public async Task A_tampered_callback_no_longer_verifies()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        await sandbox.PayAsync(payment);
        var callback = Assert.Single(await sandbox.CallbacksFor(Reference(payment), 1));

        var tampered = callback with
        {
            Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(callback.Body).Replace("\"success\"", "\"failed\"", StringComparison.Ordinal)),
        };

        Assert.Equal(CallbackTrust.Forged, Verifier.Verify(tampered).Trust);
    }

    [Fact]
    public async Task A_declined_payment_sends_a_failed_callback_with_the_provider_result()
    {
        var payment = SingapaySandboxFixture.ValidPayment(SingapayTestCards.Declined);
        await sandbox.PayAsync(payment);

        var verification = Verifier.Verify(Assert.Single(await sandbox.CallbacksFor(Reference(payment), 1)));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Equal(GatewayPaymentStatus.Failed, verification.Report!.Status);
        Assert.Equal("05", verification.Report.ResponseCode);
    }

    [Theory]
    [InlineData("confirm", GatewayPaymentStatus.Succeeded)]
    [InlineData("cancel", GatewayPaymentStatus.Failed)]
    public async Task Finishing_3DS_sends_the_final_status(string action, GatewayPaymentStatus expected)
    {
        var payment = SingapaySandboxFixture.ValidPayment(SingapayTestCards.ThreeDs);
        var transactionId = (await sandbox.PayAsync(payment)).Data!["transaction_id"]!.GetValue<string>();
        Assert.Empty(await sandbox.CallbacksFor(Reference(payment), 1, TimeSpan.FromMilliseconds(200)));

        using var decided = await sandbox.Http.PostAsync($"3ds/{transactionId}", new FormUrlEncodedContent([new("action", action), new("otp", "123456")]), Ct);

        var verification = Verifier.Verify(Assert.Single(await sandbox.CallbacksFor(Reference(payment), 1)));
        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Equal(expected, verification.Report!.Status);
    }

    [Fact]
    public async Task X_Sandbox_Callback_duplicate_delivers_the_callback_twice()
    {
        var payment = SingapaySandboxFixture.ValidPayment();

        await sandbox.PayAsync(payment, request => request.Headers.Add("X-Sandbox-Callback", "duplicate"));

        var callbacks = await sandbox.CallbacksFor(Reference(payment), 2);
        Assert.Equal(2, callbacks.Count);
        Assert.All(callbacks, callback => Assert.Equal(CallbackTrust.Verified, Verifier.Verify(callback).Trust));
        Assert.Equal(Encoding.UTF8.GetString(callbacks[0].Body), Encoding.UTF8.GetString(callbacks[1].Body));
    }

    [Fact]
    public async Task X_Sandbox_Callback_drop_sends_nothing()
    {
        var payment = SingapaySandboxFixture.ValidPayment();

        await sandbox.PayAsync(payment, request => request.Headers.Add("X-Sandbox-Callback", "drop"));

        Assert.Empty(await sandbox.CallbacksFor(Reference(payment), 1, TimeSpan.FromMilliseconds(500)));
        Assert.Equal("success", sandbox.Ledger.Find(Reference(payment))!.Status);
        Assert.Equal(0, sandbox.Ledger.Find(Reference(payment))!.CallbacksDelivered);
    }

    [Fact]
    public async Task X_Sandbox_Callback_delay_holds_the_callback_back()
    {
        var payment = SingapaySandboxFixture.ValidPayment();

        await sandbox.PayAsync(payment, request => request.Headers.Add("X-Sandbox-Callback", "delay=600"));

        Assert.Empty(await sandbox.CallbacksFor(Reference(payment), 1, TimeSpan.FromMilliseconds(250)));
        Assert.Single(await sandbox.CallbacksFor(Reference(payment), 1));
    }

    [Fact]
    public async Task A_callback_answered_with_500_is_retried_once_more()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        sandbox.AnswerCallbacks(Reference(payment), 500);

        await sandbox.PayAsync(payment);

        Assert.Equal(2, (await sandbox.CallbacksFor(Reference(payment), 2)).Count);
        await WaitUntil(() => sandbox.Ledger.Find(Reference(payment))!.CallbacksDelivered == 1);
        Assert.Equal(1, sandbox.Ledger.Find(Reference(payment))!.CallbacksFailed);
    }

    [Fact]
    public async Task After_500_only_one_retry_is_made()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        sandbox.AnswerCallbacks(Reference(payment), 500, 500, 500);

        await sandbox.PayAsync(payment);

        // The first try and its one retry, however busy the machine; then no third within the same spacing.
        Assert.Equal(2, (await sandbox.CallbacksFor(Reference(payment), 2, TimeSpan.FromSeconds(10))).Count);
        Assert.Equal(2, (await sandbox.CallbacksFor(Reference(payment), 3, TimeSpan.FromMilliseconds(700))).Count);
        Assert.Equal(0, sandbox.Ledger.Find(Reference(payment))!.CallbacksDelivered);
    }

    [Fact]
    public async Task After_503_up_to_four_retries_are_made()
    {
        var payment = SingapaySandboxFixture.ValidPayment();
        sandbox.AnswerCallbacks(Reference(payment), 503, 503, 503, 503);

        await sandbox.PayAsync(payment);

        Assert.Equal(5, (await sandbox.CallbacksFor(Reference(payment), 5)).Count);
        await WaitUntil(() => sandbox.Ledger.Find(Reference(payment))!.CallbacksDelivered == 1);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10); // generous: the whole suite runs its test assemblies in parallel on 2 cores
        while (!condition() && DateTime.UtcNow < deadline)
            await Task.Delay(20, Ct);
        Assert.True(condition());
    }
}
