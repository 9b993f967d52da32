using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Payments.Sandbox;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Gateways.Singapay.Tests.Support;

/// <summary>The real sandbox on 127.0.0.1 (a free port), and the Singapay adapter pointed at it over HTTP.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public WebApplication Sandbox { get; private set; } = null!;
    public Uri SingapayBaseUrl { get; private set; } = null!;
    public GatewayHarness Harness { get; private set; } = null!;
    public HttpClient Browser { get; } = new();

    public SingapayGateway Gateway => Harness.Gateway;
    public SingapayLedger Ledger => Sandbox.Services.GetRequiredService<SingapayLedger>();
    public SingapayTokenStore SandboxTokens => Sandbox.Services.GetRequiredService<SingapayTokenStore>();

    public async ValueTask InitializeAsync()
    {
        Sandbox = SandboxApp.Build(["--Logging:LogLevel:Default=Warning"], options =>
        {
            options.Url = "http://127.0.0.1:0";
            // The adapter's inquiry by reference is exercised here; the processor only ever inquires Singapay by its ids.
            options.Singapay.InquiryByReference = true;
        });
        var simulation = Sandbox.Services.GetRequiredService<SingapaySimulationOptions>();
        simulation.UpstreamTimeoutDelay = TimeSpan.FromMilliseconds(100);
        simulation.HangDelay = TimeSpan.FromSeconds(5);
        await Sandbox.StartAsync();

        SingapayBaseUrl = new Uri(Sandbox.BoundAddress(), "singapay");
        Harness = GatewayHarness.Create(baseUrl: SingapayBaseUrl.ToString(), settings: new Dictionary<string, string?>
        {
            // Short enough that the hanging test card costs one second.
            ["Gateways:Singapay:Resilience:AttemptTimeout:Charge"] = "00:00:01",
        });
    }

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        await Harness.DisposeAsync();
        await Sandbox.StopAsync();
        await Sandbox.DisposeAsync();
    }
}
