using Xunit;

namespace Payments.Sandbox.Tests.Finpay;

/// <summary>X-Sandbox-Fault: latency=ms, status=4xx|5xx, timeout.</summary>
public sealed class FinpayFaultTests : IAsyncLifetime
{
    private FinpaySandboxHost _sandbox = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await FinpaySandboxHost.StartAsync(Ct);

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private static Dictionary<string, string> Fault(string value) => new() { ["X-Sandbox-Fault"] = value };

    [Theory]
    [InlineData("status=500", 500, "5000000")]
    [InlineData("status=503", 503, "5030000")]
    [InlineData("status=429", 429, "4290000")]
    public async Task A_status_fault_fails_in_front_of_Finpay_and_records_nothing(string fault, int httpStatus, string code)
    {
        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-F1"), Ct, headers: Fault(fault));

        Assert.Equal(httpStatus, answer.HttpStatus);
        Assert.Equal(code, answer.ResponseCode);
        Assert.Empty(_sandbox.Ledger.Entries);
        Assert.Equal(0, _sandbox.Ledger.PaymentRequestsFor("ORD-F1"));
    }

    [Fact]
    public async Task A_latency_fault_answers_late_but_normally()
    {
        var started = TimeProvider.System.GetTimestamp();

        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-F2"), Ct, headers: Fault("latency=250"));

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(240));
        Assert.Equal("2000000", answer.ResponseCode);
    }

    [Fact]
    public async Task A_timeout_fault_charges_then_holds_the_answer_back()
    {
        var started = TimeProvider.System.GetTimestamp();

        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-F3"), Ct, headers: Fault("timeout"));

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(280));
        Assert.Equal("2000000", answer.ResponseCode);
        Assert.Equal("PAID", Assert.Single(_sandbox.Ledger.Entries).Status);
    }

    [Fact]
    public async Task A_client_that_gives_up_on_a_timeout_fault_still_leaves_a_charge()
    {
        _sandbox.Simulation.HangDelay = TimeSpan.FromSeconds(30);
        using var impatient = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var charge = _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-F6"), impatient.Token, headers: Fault("timeout"));

        var waited = TimeProvider.System.GetTimestamp();
        while (_sandbox.Ledger.Entries.Count == 0)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(waited) < TimeSpan.FromSeconds(5), "the charge was never recorded");
            await Task.Delay(20, Ct);
        }
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => charge);
        Assert.Equal("PAID", Assert.Single(_sandbox.Ledger.Entries).Status);
    }

    [Fact]
    public async Task Faults_apply_to_status_checks_too()
    {
        await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-F4"), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/finpay/pg/payment/card/check/ORD-F4");
        request.Headers.Authorization = FinpaySandboxHost.Basic();
        request.Headers.Add("X-Sandbox-Fault", "status=503");

        var answer = await _sandbox.SendAsync(request, Ct);

        Assert.Equal(503, answer.HttpStatus);
    }

    [Fact]
    public async Task Unknown_fault_names_are_ignored()
    {
        var answer = await _sandbox.ChargeAsync(FinpayRequests.Valid("ORD-F5"), Ct, headers: Fault("explode, status=302, latency=soon"));

        Assert.Equal("2000000", answer.ResponseCode);
    }
}
