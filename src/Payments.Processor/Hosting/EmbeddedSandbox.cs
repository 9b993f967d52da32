using Payments.Processor.Configuration;
#if EMBEDDED_SANDBOX
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Payments.Processor.Auth;
using Payments.Sandbox;
#endif

namespace Payments.Processor.Hosting;

/// <summary>
/// Whether the gateway sandbox runs inside the processor. It is compiled in for dotnet run, build and test
/// (EMBEDDED_SANDBOX, set by Payments.Processor.csproj) and left out of what dotnet publish produces; without it, every
/// gateway needs a configured BaseUrl.
/// </summary>
public static class EmbeddedSandboxHosting
{
    public const string EmbeddedKey = "Sandbox:Embedded";
    internal static readonly string[] GatewayBaseUrlKeys = ["Gateways:Singapay:BaseUrl", "Gateways:Finpay:BaseUrl"];

#if EMBEDDED_SANDBOX
    public const bool IsCompiledIn = true;
#else
    public const bool IsCompiledIn = false;
#endif

    /// <summary>On embedded defaults, points unconfigured gateways at the in-process sandbox and starts it with the processor.</summary>
    public static WebApplicationBuilder AddEmbeddedSandboxWhenConfigured(this WebApplicationBuilder builder, ProcessorSettings settings)
    {
#if EMBEDDED_SANDBOX
        if (settings.EmbeddedSandbox)
        {
            PointGatewaysAtEmbeddedSandbox(builder.Configuration);
            var options = new SandboxOptions();
            builder.Configuration.GetSection(SandboxOptions.Section).Bind(options);
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<EmbeddedSandbox>();
        }
#else
        _ = settings;
        RequireGatewaysWithoutSandbox(builder.Configuration);
#endif
        return builder;
    }

    /// <summary>
    /// What a build without the sandbox demands: no <c>Sandbox:Embedded=true</c>, and a BaseUrl for every gateway
    /// (the options' defaults are the sandbox's address, which nothing would answer).
    /// </summary>
    internal static void RequireGatewaysWithoutSandbox(IConfiguration configuration)
    {
        if (ProcessorSettings.ReadBool(configuration, EmbeddedKey, defaultValue: false))
            throw new InvalidSettingException(EmbeddedKey,
                "is true, but this build of the processor has no sandbox (dotnet publish leaves it out): run src/Payments.Sandbox " +
                $"on its own and set {string.Join(" and ", GatewayBaseUrlKeys)}, or use dotnet run");
        foreach (var key in GatewayBaseUrlKeys)
            if (string.IsNullOrWhiteSpace(configuration[key]))
                throw new InvalidSettingException(key,
                    "is required: this build of the processor has no embedded sandbox to send charges to");
    }

#if EMBEDDED_SANDBOX
    /// <summary>Unless a gateway's BaseUrl is configured, it is the in-process sandbox's.</summary>
    private static void PointGatewaysAtEmbeddedSandbox(ConfigurationManager configuration)
    {
        var sandbox = (configuration["Sandbox:Url"] is { Length: > 0 } url ? url : new SandboxOptions().Url).TrimEnd('/');
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(configuration["Gateways:Singapay:BaseUrl"]))
            defaults["Gateways:Singapay:BaseUrl"] = $"{sandbox}/singapay";
        if (string.IsNullOrWhiteSpace(configuration["Gateways:Finpay:BaseUrl"]))
            defaults["Gateways:Finpay:BaseUrl"] = $"{sandbox}/finpay";
        configuration.AddInMemoryCollection(defaults);
    }
#endif
}

#if EMBEDDED_SANDBOX
/// <summary>
/// On embedded defaults, runs the gateway sandbox on its own port inside the processor's process, and points its
/// callbacks at this processor's webhooks.
/// </summary>
public sealed partial class EmbeddedSandbox(SandboxOptions options, IConfiguration configuration, IServer server,
    IHostApplicationLifetime lifetime, ApiKeys apiKeys, ILogger<EmbeddedSandbox> logger) : IHostedService, IAsyncDisposable
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
            o.Checkout = options.Checkout;
        });
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            throw InvalidSettingException.AddressUnavailable("Sandbox:Url", options.Url, exception);
        }
        var address = _app.BoundAddress();
        var checkout = new Uri(address, "checkout");
        LogListening(logger, address, checkout);
        lifetime.ApplicationStarted.Register(PointCallbacksAtThisProcessor);
    }

    private void PointCallbacksAtThisProcessor()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
            return;
        var processor = address
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
        options.Singapay.CallbackUrl ??= $"{processor}/webhooks/singapay";
        options.Finpay.CallbackUrl ??= $"{processor}/webhooks/finpay";
        options.Singapay.ThreeDsReturnUrl ??= $"{processor}/payments/return";
        // The demo shop at /checkout charges this processor; its key stays in this process, never in a page.
        options.Checkout.ProcessorUrl ??= processor;
        options.Checkout.MerchantApiKey ??= apiKeys.MerchantKeys.Count > 0 ? apiKeys.MerchantKeys[0] : null;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway sandbox (Singapay, Finpay) listening on {Url}; a demo checkout to click through at {CheckoutUrl}")]
    private static partial void LogListening(ILogger logger, Uri url, Uri checkoutUrl);
}
#endif
