using Payments.Sandbox.Finpay;
using Payments.Testing;
using Xunit;

namespace Payments.Gateways.Finpay.Tests;

/// <summary>The adapter against the real sandbox over HTTP: two independent implementations of the same wire format.</summary>
public sealed class FinpaySandboxRoundTripTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_successful_charge_is_accepted_and_its_status_check_says_succeeded()
    {
        await using var sandbox = await RunningSandbox.StartAsync(Ct);
        await using var finpay = sandbox.Client();

        var charge = await finpay.Gateway.ChargeAsync(Charges.OneClick(FinpayTokenVault.SuccessVisa, "ORD-RT-1"), Ct);
        var status = await finpay.Gateway.InquireAsync(PaymentReferences.For("ORD-RT-1", charge.GatewayTransactionId), Ct);

        Assert.Equal(ChargeResultKind.Accepted, charge.Kind);
        var recorded = Assert.Single(sandbox.Ledger.Entries);
        Assert.Equal(recorded.PaymentId, charge.GatewayTransactionId);
        Assert.Equal(recorded.AuthorizationCode, charge.AuthorizationCode);
        Assert.Equal(100_000, recorded.Amount);
        Assert.Equal(GatewayPaymentStatus.Succeeded, status.Status);
        Assert.Equal(recorded.PaymentId, status.GatewayTransactionId);
    }

    [Fact]
    public async Task A_declined_token_is_declined_and_its_status_check_says_failed()
    {
        await using var sandbox = await RunningSandbox.StartAsync(Ct);
        await using var finpay = sandbox.Client();

        var charge = await finpay.Gateway.ChargeAsync(Charges.OneClick(FinpayTokenVault.Declined, "ORD-RT-2"), Ct);
        var status = await finpay.Gateway.InquireAsync(PaymentReferences.For("ORD-RT-2"), Ct);

        Assert.Equal(ChargeResultKind.Declined, charge.Kind);
        Assert.Equal("4030005", charge.ResponseCode);
        Assert.Equal("Do Not Honor", charge.ResponseMessage);
        Assert.Equal("card_declined", charge.FailureCode);
        Assert.Equal(GatewayPaymentStatus.Failed, status.Status);
        // The status check reports the payment's own code, not its own 2000000.
        Assert.Equal("4030005", status.ResponseCode);
        Assert.Equal("card_declined", status.FailureCode);
    }

    [Fact]
    public async Task A_timed_out_charge_is_settled_by_a_status_check_without_charging_again()
    {
        await using var sandbox = await RunningSandbox.StartAsync(Ct);
        await using var finpay = sandbox.Client(chargeTimeout: TimeSpan.FromSeconds(3));

        var charging = finpay.Gateway.ChargeAsync(Charges.OneClick(FinpayTokenVault.TimeoutThenSuccess, "ORD-RT-3"), Ct);
        // The status check follows a charge the gateway has received, however slow the machine is to deliver it.
        await Eventually.Until(() => sandbox.Ledger.PaymentRequestsFor("ORD-RT-3") == 1, "the sandbox received the charge");
        var charge = await charging;
        var status = await finpay.Gateway.InquireAsync(PaymentReferences.For("ORD-RT-3"), Ct);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, charge.Kind);
        Assert.Equal("timeout", charge.ResponseCode);
        Assert.Equal(GatewayPaymentStatus.Succeeded, status.Status);
        var recorded = Assert.Single(sandbox.Ledger.Entries);
        Assert.Equal(1, recorded.PaymentRequests);
        Assert.Equal(1, sandbox.Ledger.PaymentRequestsFor("ORD-RT-3"));
    }

    [Fact]
    public async Task A_reused_order_id_is_refused_and_left_to_a_status_check()
    {
        await using var sandbox = await RunningSandbox.StartAsync(Ct);
        await using var finpay = sandbox.Client();

        var first = await finpay.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-RT-4"), Ct);
        var second = await finpay.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-RT-4"), Ct);

        Assert.Equal(ChargeResultKind.Accepted, first.Kind);
        Assert.Equal(ChargeResultKind.OutcomeUnknown, second.Kind);
        Assert.Equal("4090001", second.ResponseCode);
        var recorded = Assert.Single(sandbox.Ledger.Entries);
        Assert.Equal(2, recorded.PaymentRequests);
    }

    [Fact]
    public async Task An_order_the_sandbox_never_saw_is_not_found()
    {
        await using var sandbox = await RunningSandbox.StartAsync(Ct);
        await using var finpay = sandbox.Client();

        var status = await finpay.Gateway.InquireAsync(PaymentReferences.For("ORD-NEVER-SENT"), Ct);

        Assert.Equal(GatewayPaymentStatus.NotFound, status.Status);
        Assert.Equal("4040001", status.ResponseCode);
    }

    [Fact]
    public async Task The_sandboxs_signed_callback_is_verified_by_the_adapter()
    {
        await using var sandbox = await RunningSandbox.StartAsync(Ct);
        await using var finpay = sandbox.Client();

        var charge = await finpay.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-RT-5"), Ct);
        var body = await sandbox.NextCallbackAsync(Ct);
        var verification = finpay.Verifier.Verify(new GatewayCallbackRequest("POST", "/callbacks/finpay", new Dictionary<string, string>(), body));

        Assert.Equal(CallbackTrust.Verified, verification.Trust);
        Assert.Equal("ORD-RT-5", verification.MerchantReference);
        Assert.Equal(GatewayPaymentStatus.Succeeded, verification.Report?.Status);
        Assert.Equal(charge.GatewayTransactionId, verification.Report?.GatewayTransactionId);
    }

    [Fact]
    public async Task Wrong_merchant_credentials_are_declined_with_4010000()
    {
        await using var sandbox = await RunningSandbox.StartAsync(Ct);
        await using var finpay = FinpayServices.Create(settings: new Dictionary<string, string?>
        {
            ["Gateways:Finpay:BaseUrl"] = sandbox.FinpayBaseUrl,
            ["Gateways:Finpay:MerchantKey"] = "not-the-key",
        });

        var charge = await finpay.Gateway.ChargeAsync(Charges.OneClick(reference: "ORD-RT-6"), Ct);

        Assert.Equal(ChargeResultKind.Declined, charge.Kind);
        Assert.Equal("4010000", charge.ResponseCode);
        Assert.Empty(sandbox.Ledger.Entries);
    }
}
