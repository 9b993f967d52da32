using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Sandbox;
using Payments.Sandbox.Finpay;

namespace Payments.Gateways.Finpay.Tests;

/// <summary>The real sandbox on Kestrel at 127.0.0.1 (a free port), with a receiver for its callbacks.</summary>
internal sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _sandbox;
    private readonly WebApplication _receiver;
    private readonly Channel<byte[]> _callbacks;

    private RunningSandbox(WebApplication sandbox, WebApplication receiver, Channel<byte[]> callbacks)
    {
        _sandbox = sandbox;
        _receiver = receiver;
        _callbacks = callbacks;
    }

    public string FinpayBaseUrl => new Uri(_sandbox.BoundAddress(), "/finpay").ToString();

    public FinpayLedger Ledger => _sandbox.Services.GetRequiredService<FinpayLedger>();

    public static async Task<RunningSandbox> StartAsync(CancellationToken cancellationToken)
    {
        var callbacks = Channel.CreateUnbounded<byte[]>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.ClearProviders();
        var receiver = receiverBuilder.Build();
        receiver.MapPost("/callbacks/finpay", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            await callbacks.Writer.WriteAsync(body.ToArray());
            return Results.Ok();
        });
        await receiver.StartAsync(cancellationToken);

        // Longer than any client charge timeout here; the hang ends as soon as the client disconnects.
        var sandbox = SandboxApp.Build(
            ["--Sandbox:Finpay:Simulation:HangDelay=00:00:05", "--Logging:LogLevel:Default=Warning"],
            options =>
            {
                options.Url = "http://127.0.0.1:0";
                options.Finpay.CallbackUrl = new Uri(receiver.BoundAddress(), "/callbacks/finpay").ToString();
            });
        await sandbox.StartAsync(cancellationToken);
        return new RunningSandbox(sandbox, receiver, callbacks);
    }

    public FinpayServices Client(TimeSpan? chargeTimeout = null) => FinpayServices.Create(settings: new Dictionary<string, string?>
    {
        ["Gateways:Finpay:BaseUrl"] = FinpayBaseUrl,
        ["Gateways:Finpay:Resilience:AttemptTimeout:Charge"] = (chargeTimeout ?? TimeSpan.FromSeconds(5)).ToString("c"),
    });

    /// <summary>The next callback the sandbox posted, waiting at most five seconds (only a slow machine waits that long).</summary>
    public async Task<byte[]> NextCallbackAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        return await _callbacks.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.StopAsync();
        await _sandbox.DisposeAsync();
        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }
}
