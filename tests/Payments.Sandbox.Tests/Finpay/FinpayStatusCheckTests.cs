using Payments.Sandbox.Finpay;
using Xunit;

namespace Payments.Sandbox.Tests.Finpay;

public sealed class FinpayStatusCheckTests : IAsyncLifetime
{
    private FinpaySandboxHost _sandbox = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await FinpaySandboxHost.StartAsync(Ct);

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public async Task A_paid_order_reports_PAID_with_Finpays_id_and_authorization_code()
    {
        var charge = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-S1"), Ct);

        var status = await _sandbox.GetAsync("/finpay/pg/payment/card/check/ORD-S1", Ct);

        Assert.Equal(200, status.HttpStatus);
        Assert.Equal("2000000", status.ResponseCode);
        var data = status.Body!["data"]!;
        Assert.Equal("PAID", data["status"]!.GetValue<string>());
        Assert.Equal(charge.Body!["data"]!["id"]!.GetValue<string>(), data["id"]!.GetValue<string>());
        Assert.Equal(charge.Body!["data"]!["authorizationCode"]!.GetValue<string>(), data["authorizationCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_declined_order_reports_FAILED_with_the_decline_code()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-S2", FinpayTokenVault.Declined), Ct);

        var status = await _sandbox.GetAsync("/finpay/pg/payment/card/check/ORD-S2", Ct);

        Assert.Equal("FAILED", status.Body!["data"]!["status"]!.GetValue<string>());
        Assert.Equal("4030005", status.Body!["data"]!["responseCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_order_is_404_with_4040001()
    {
        var status = await _sandbox.GetAsync("/finpay/pg/payment/card/check/ORD-NEVER", Ct);

        Assert.Equal(404, status.HttpStatus);
        Assert.Equal("4040001", status.ResponseCode);
    }

    [Fact]
    public async Task The_status_check_needs_the_merchants_credentials()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-S3"), Ct);

        var status = await _sandbox.GetAsync("/finpay/pg/payment/card/check/ORD-S3", Ct, FinpaySandboxHost.Basic("someone-else"));

        Assert.Equal(401, status.HttpStatus);
        Assert.Equal("4010000", status.ResponseCode);
    }

    [Fact]
    public async Task The_ledger_endpoint_lists_every_charge_with_its_request_count()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-S4"), Ct);
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-S4"), Ct);
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-S5", FinpayTokenVault.Declined), Ct);

        var ledger = await _sandbox.GetAsync("/finpay/_sandbox/ledger", Ct);
        var single = await _sandbox.GetAsync("/finpay/_sandbox/ledger/ORD-S4", Ct);

        var entries = ledger.Body!.AsArray();
        Assert.Equal(["ORD-S4", "ORD-S5"], entries.Select(e => e!["orderId"]!.GetValue<string>()));
        Assert.Equal(2, single.Body!["paymentRequests"]!.GetValue<int>());
        Assert.DoesNotContain("token", ledger.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }
}
