using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Payments.Gateways.Singapay.Tests.Support;
using Payments.Sandbox;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

/// <summary>
/// The adapter's Polly pipeline against the real sandbox, with faults injected the sandbox's way
/// (the X-Sandbox-Fault request header), counting every request that actually went out.
/// </summary>
public sealed class SingapayResilienceTests : IAsyncLifetime
{
    private WebApplication _sandbox = null!;
    private string _baseUrl = "";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = SandboxApp.Build(["--Logging:LogLevel:Default=Warning"], options => options.Url = "http://127.0.0.1:0");
        _sandbox.Services.GetRequiredService<SingapaySimulationOptions>().HangDelay = TimeSpan.FromSeconds(3);
        await _sandbox.StartAsync(Ct);
        _baseUrl = new Uri(_sandbox.BoundAddress(), "singapay").ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.StopAsync();
        await _sandbox.DisposeAsync();
    }

    private SingapayLedger Ledger => _sandbox.Services.GetRequiredService<SingapayLedger>();

    private GatewayHarness Gateway(FaultInjector faults, params (string Key, string Value)[] settings) =>
        GatewayHarness.Create(baseUrl: _baseUrl,
            settings: new Dictionary<string, string?>(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            {
                ["Gateways:Singapay:Resilience:BaseDelay"] = "00:00:00.010",
            },
            configure: services => services.AddHttpClient(SingapayClient.HttpClientName).AddHttpMessageHandler(() => faults));

    [Fact]
    public async Task An_inquiry_answered_503_is_retried_with_backoff_and_then_succeeds()
    {
        var faults = new FaultInjector { ["inquiry-status"] = ["status=503", "status=503"] };
        await using var harness = Gateway(faults, ("Gateways:Singapay:Resilience:RetryCount", "3"));
        var charge = Charges.Valid(SingapayTestCards.Success);
        var accepted = await harness.Gateway.ChargeAsync(charge, Ct);

        var inquiry = await harness.Gateway.InquireAsync(new GatewayPaymentReference(charge.MerchantReference, accepted.GatewayTransactionId, null), Ct);

        Assert.Equal(GatewayPaymentStatus.Succeeded, inquiry.Status);
        Assert.Equal(3, faults.Sent("inquiry-status"));
    }

    [Fact]
    public async Task A_charge_answered_500_is_sent_once_and_left_to_inquiry()
    {
        var faults = new FaultInjector { ["/payment"] = ["status=500"] };
        await using var harness = Gateway(faults, ("Gateways:Singapay:Resilience:RetryCount", "3"));
        var charge = Charges.Valid(SingapayTestCards.Success);

        var result = await harness.Gateway.ChargeAsync(charge, Ct);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal(1, faults.Sent("/payment"));
        Assert.Equal(0, Ledger.ChargesFor(charge.MerchantReference)); // the fault answered before anything was charged
    }

    [Fact]
    public async Task A_charge_that_went_through_but_timed_out_is_not_resent_and_inquiry_finds_it()
    {
        var faults = new FaultInjector { ["/payment"] = ["timeout"] };
        await using var harness = Gateway(faults, ("Gateways:Singapay:Resilience:RetryCount", "3"),
            ("Gateways:Singapay:Resilience:AttemptTimeout:Charge", "00:00:00.500"));
        var charge = Charges.Valid(SingapayTestCards.Success);

        var result = await harness.Gateway.ChargeAsync(charge, Ct);
        // Singapay is asked by its transaction id (as a later callback reports it), never by our reference.
        var transactionId = Ledger.Find(charge.MerchantReference)!.TransactionId;
        var inquiry = await harness.Gateway.InquireAsync(new GatewayPaymentReference(charge.MerchantReference, transactionId, null), Ct);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal(1, faults.Sent("/payment"));
        Assert.Equal(1, Ledger.ChargesFor(charge.MerchantReference));
        Assert.Equal(GatewayPaymentStatus.Succeeded, inquiry.Status);
    }

    [Fact]
    public async Task Repeated_5xx_open_the_circuit_and_a_charge_is_then_refused_without_being_sent()
    {
        var faults = new FaultInjector { ["inquiry-status"] = Enumerable.Repeat("status=500", 20).ToArray() };
        await using var harness = Gateway(faults, ("Gateways:Singapay:Resilience:RetryCount", "0"),
            ("Gateways:Singapay:Resilience:MinimumThroughput", "4"), ("Gateways:Singapay:Resilience:BreakDuration", "00:00:30"));
        var charge = Charges.Valid(SingapayTestCards.Success);
        await harness.Gateway.ChargeAsync(charge, Ct);
        var sentBefore = faults.Sent("/payment");

        for (var i = 0; i < 6; i++)
            Assert.Equal(GatewayPaymentStatus.Unknown, (await harness.Gateway.InquireAsync(new GatewayPaymentReference(charge.MerchantReference, null, null), Ct)).Status);

        await Assert.ThrowsAsync<GatewayUnavailableException>(() => harness.Gateway.ChargeAsync(Charges.Valid(SingapayTestCards.Success), Ct));
        Assert.Equal(sentBefore, faults.Sent("/payment"));
        Assert.True(faults.Sent("inquiry-status") < 6, "once open, the circuit stops inquiries from going out too");
    }

    /// <summary>Adds X-Sandbox-Fault to the next requests whose path contains a key, and counts what goes out.</summary>
    private sealed class FaultInjector : DelegatingHandler, IEnumerable<KeyValuePair<string, string[]>>
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _faults = new();
        private readonly ConcurrentDictionary<string, int> _sent = new();

        public string[] this[string pathPart]
        {
            set => _faults[pathPart] = new ConcurrentQueue<string>(value);
        }

        public int Sent(string pathPart) => _sent.GetValueOrDefault(pathPart);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            request.Headers.Remove("X-Sandbox-Fault"); // a retry re-sends the same request: each attempt gets its own fault
            foreach (var (part, queue) in _faults)
            {
                if (!path.Contains(part, StringComparison.Ordinal))
                    continue;
                _sent.AddOrUpdate(part, 1, (_, n) => n + 1);
                if (queue.TryDequeue(out var fault))
                    request.Headers.Add("X-Sandbox-Fault", fault);
            }
            return base.SendAsync(request, cancellationToken);
        }

        public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator() =>
            _faults.Select(f => new KeyValuePair<string, string[]>(f.Key, f.Value.ToArray())).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
