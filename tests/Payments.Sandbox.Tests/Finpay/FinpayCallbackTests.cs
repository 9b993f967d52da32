using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Sandbox.Finpay;
using Xunit;

namespace Payments.Sandbox.Tests.Finpay;

/// <summary>Signed callbacks after a charge completes, and X-Sandbox-Callback: duplicate, delay=ms, drop.</summary>
public sealed class FinpayCallbackTests : IAsyncLifetime
{
    private FinpaySandboxHost _sandbox = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await FinpaySandboxHost.StartAsync(Ct);

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private static Dictionary<string, string> CallbackFault(string value) => new() { ["X-Sandbox-Callback"] = value };

    /// <summary>Independent of the sandbox's code: signature = hex HMAC-SHA512(merchant key, the body's text without its signature field).</summary>
    private static void AssertSignedWithMerchantKey(string body)
    {
        var signature = JsonNode.Parse(body)!["signature"]!.GetValue<string>();
        var suffix = $",\"signature\":\"{signature}\"}}";
        Assert.EndsWith(suffix, body);
        var signed = body[..^suffix.Length] + "}";
        var expected = Convert.ToHexStringLower(HMACSHA512.HashData(
            Encoding.UTF8.GetBytes(FinpaySandboxHost.MerchantKey), Encoding.UTF8.GetBytes(signed)));
        Assert.Equal(expected, signature);
    }

    [Fact]
    public async Task A_paid_charge_is_followed_by_a_signed_callback()
    {
        var charge = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C1"), Ct);

        var callback = await _sandbox.NextCallbackAsync(Ct);

        Assert.NotNull(callback);
        AssertSignedWithMerchantKey(callback.Body);
        var body = JsonNode.Parse(callback.Body)!;
        Assert.Equal("PAID", body["status"]!.GetValue<string>());
        Assert.Equal("ORD-C1", body["order"]!["id"]!.GetValue<string>());
        Assert.Equal("1000", body["order"]!["amount"]!.GetValue<string>());
        Assert.Equal(charge.Body!["data"]!["id"]!.GetValue<string>(), body["data"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_declined_charge_is_followed_by_a_FAILED_callback()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C2", FinpayTokenVault.Declined), Ct);

        var callback = await _sandbox.NextCallbackAsync(Ct);

        Assert.NotNull(callback);
        AssertSignedWithMerchantKey(callback.Body);
        Assert.Equal("FAILED", JsonNode.Parse(callback.Body)!["status"]!.GetValue<string>());
        Assert.Equal("4030005", JsonNode.Parse(callback.Body)!["responseCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_charge_whose_answer_timed_out_still_sends_its_callback()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C3", FinpayTokenVault.TimeoutThenSuccess), Ct);

        var callback = await _sandbox.NextCallbackAsync(Ct);

        Assert.Equal("PAID", JsonNode.Parse(callback!.Body)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicate_sends_the_same_callback_twice()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C4"), Ct, headers: CallbackFault("duplicate"));

        var first = await _sandbox.NextCallbackAsync(Ct);
        var second = await _sandbox.NextCallbackAsync(Ct);

        Assert.NotNull(first);
        Assert.Equal(first.Body, second?.Body);
        await WaitForAsync(() => _sandbox.Ledger.Find("ORD-C4")!.CallbacksDelivered == 2);
    }

    [Fact]
    public async Task Drop_sends_no_callback()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C5"), Ct, headers: CallbackFault("drop"));

        var callback = await _sandbox.NextCallbackAsync(Ct, within: TimeSpan.FromMilliseconds(400));

        Assert.Null(callback);
        Assert.Equal(0, _sandbox.Ledger.Find("ORD-C5")!.CallbacksDelivered);
    }

    [Fact]
    public async Task Delay_holds_the_callback_back()
    {
        var delayed = await SendAndTimeCallbackAsync("ORD-C7", "delay=400");

        // Only the lower bound is reliable: a busy machine may make any callback late.
        Assert.True(delayed >= TimeSpan.FromMilliseconds(390), $"delayed callback came after {delayed}");
    }

    [Fact]
    public async Task Validation_failures_and_duplicates_send_no_callback()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C8").Without("card"), Ct);
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C9"), Ct, headers: CallbackFault("drop"));
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-C9"), Ct);

        var callback = await _sandbox.NextCallbackAsync(Ct, within: TimeSpan.FromMilliseconds(400));

        Assert.Null(callback);
    }

    private async Task<TimeSpan> SendAndTimeCallbackAsync(string orderId, string fault)
    {
        var started = TimeProvider.System.GetTimestamp();
        await _sandbox.ChargeAsync(FinpayRequests.Valid(orderId), Ct, headers: CallbackFault(fault));
        var callback = await _sandbox.NextCallbackAsync(Ct);
        Assert.NotNull(callback);
        Assert.Equal(orderId, JsonNode.Parse(callback.Body)!["order"]!["id"]!.GetValue<string>());
        return TimeProvider.System.GetElapsedTime(started);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(2), "condition not met within 2 s");
            await Task.Delay(20, Ct);
        }
    }
}
