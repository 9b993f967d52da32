using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Payments.Sandbox;

namespace Payments.Processor.Hosting;

/// <summary>
/// On embedded defaults, runs the gateway sandbox on its own port inside the processor's process, and points its
/// callbacks at this processor's webhooks.
/// </summary>
public sealed class EmbeddedSandbox(SandboxOptions options, IConfiguration configuration, IServer server,
    IHostApplicationLifetime lifetime, ILogger<EmbeddedSandbox> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The sandbox's own services (its ledgers, for instance); null before it starts.</summary>
    public IServiceProvider? Services => _app?.Services;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The sandbox reads its own settings (simulation delays, credentials) from the processor's "Sandbox" section.
        var sandboxSettings = configuration.GetSection(SandboxOptions.Section).AsEnumerable()
            .Where(setting => setting.Value is not null)
            .Select(setting => $"--{setting.Key}={setting.Value}")
            .Append("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning")
            .ToArray();
        _app = SandboxApp.Build(sandboxSettings, o =>
        {
            o.Url = options.Url;
            o.Singapay = options.Singapay;
            o.Finpay = options.Finpay;
        });
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            throw InvalidSettingException.AddressUnavailable("Sandbox:Url", options.Url, exception);
        }
        logger.LogInformation("Gateway sandbox (Singapay, Finpay) listening on {Url}", _app.BoundAddress());
        lifetime.ApplicationStarted.Register(PointCallbacksAtThisProcessor);
    }

    private void PointCallbacksAtThisProcessor()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
            return;
        var processor = address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").TrimEnd('/');
        options.Singapay.CallbackUrl ??= $"{processor}/webhooks/singapay";
        options.Finpay.CallbackUrl ??= $"{processor}/webhooks/finpay";
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
