using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Gateways.Resilience;

namespace Payments.Gateways.Tests.Resilience;

/// <summary>A service provider with resilient named HttpClients, each ending at its own primary handler.</summary>
internal sealed class GatewayClients : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private GatewayClients(ServiceProvider provider) => _provider = provider;

    public IGatewayCircuitMonitor Monitor => _provider.GetRequiredService<IGatewayCircuitMonitor>();

    public IServiceProvider Services => _provider;

    public HttpClient Client(string clientName) =>
        _provider.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);

    /// <param name="clients">client name → (gateway name, primary handler; null for the real SocketsHttpHandler).</param>
    public static GatewayClients Create(
        IReadOnlyDictionary<string, (string Gateway, HttpMessageHandler? Primary)> clients,
        Action<GatewayResilienceOptions>? configure = null,
        IDictionary<string, string?>? configuration = null,
        TimeProvider? timeProvider = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        configureServices?.Invoke(services);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build());
        if (timeProvider is not null)
            services.AddSingleton(timeProvider);

        foreach (var (name, (gateway, primary)) in clients)
        {
            var builder = services.AddHttpClient(name, c => c.BaseAddress = new Uri("http://gateway.test/"));
            if (primary is not null)
                builder.ConfigurePrimaryHttpMessageHandler(() => primary);
            builder.AddGatewayResilience(gateway);
            if (configure is not null)
                services.Configure(gateway, configure);
        }
        return new GatewayClients(services.BuildServiceProvider(validateScopes: true));
    }

    public static GatewayClients Single(string gateway, HttpMessageHandler? primary, Action<GatewayResilienceOptions>? configure = null) =>
        Create(new Dictionary<string, (string, HttpMessageHandler?)> { [gateway] = (gateway, primary) }, configure);

    /// <summary>Tiny retry delays, so that retries finish in milliseconds; timeouts generous for a loaded machine.</summary>
    public static void Fast(GatewayResilienceOptions options)
    {
        options.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.UseJitter = false;
        options.AttemptTimeout.Charge = TimeSpan.FromSeconds(2);
        options.AttemptTimeout.Inquiry = TimeSpan.FromSeconds(2);
        options.AttemptTimeout.Token = TimeSpan.FromSeconds(2);
        options.AttemptTimeout.Cancel = TimeSpan.FromSeconds(2);
    }

    /// <summary><see cref="Fast"/>, with attempts that time out after 100 ms.</summary>
    public static void FastTimeouts(GatewayResilienceOptions options)
    {
        Fast(options);
        options.AttemptTimeout.Charge = TimeSpan.FromMilliseconds(100);
        options.AttemptTimeout.Inquiry = TimeSpan.FromMilliseconds(100);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

internal static class RequestFactory
{
    public static HttpRequestMessage Post(GatewayCallKind kind) =>
        new HttpRequestMessage(HttpMethod.Post, "pay") { Content = new StringContent("{}") }.SetGatewayCallKind(kind);

    public static HttpRequestMessage Get(GatewayCallKind kind) =>
        new HttpRequestMessage(HttpMethod.Get, "status/1").SetGatewayCallKind(kind);
}
