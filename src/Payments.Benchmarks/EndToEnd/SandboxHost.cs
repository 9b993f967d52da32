using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Payments.Sandbox;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>
/// The gateway sandbox on a loopback port of its own, answering at once (no settle delay), posting its signed callbacks
/// to the first processor. Runs in this process: it is the gateways' side, not the processor's.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private SandboxHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        _http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public static async Task<SandboxHost> StartAsync(int port, Uri processor, Action<WebApplication>? addMiddleware = null)
    {
        var address = new Uri($"http://127.0.0.1:{port}/");
        string[] arguments =
        [
            "--Logging:LogLevel:Default=Warning",
            "--Sandbox:Singapay:Simulation:SettleDelay=00:00:00",
        ];
        var app = SandboxApp.Build(arguments, options =>
        {
            options.Url = address.ToString();
            options.Singapay.CallbackUrl = new Uri(processor, "webhooks/singapay").ToString();
            options.Finpay.CallbackUrl = new Uri(processor, "webhooks/finpay").ToString();
        });
        // Runs between routing and the endpoints, so it sees (and may add) the sandbox's own fault headers.
        addMiddleware?.Invoke(app);
        await app.StartAsync();
        return new SandboxHost(app, address);
    }

    public IServiceProvider Services => _app.Services;

    public async Task<SandboxLedgerSummary> LedgerSummaryAsync() =>
        (await _http.GetFromJsonAsync<SandboxLedgerSummary>(new Uri(SandboxLedgerEndpoints.SummaryPath, UriKind.Relative)))!;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
