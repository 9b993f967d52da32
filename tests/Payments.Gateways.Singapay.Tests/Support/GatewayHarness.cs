using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Gateways.Resilience;

namespace Payments.Gateways.Singapay.Tests.Support;

/// <summary>The Singapay adapter wired exactly as AddSingapayGateway wires it, over a given primary handler or a real URL.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private GatewayHarness(ServiceProvider services) => _services = services;

    public SingapayGateway Gateway => _services.GetRequiredService<SingapayGateway>();
    public SingapayAccessTokenProvider Tokens => _services.GetRequiredService<SingapayAccessTokenProvider>();
    public SingapayCallbackVerifier Verifier => _services.GetRequiredService<SingapayCallbackVerifier>();
    public IServiceProvider Services => _services;

    public static GatewayHarness Create(
        HttpMessageHandler? primary = null,
        TimeProvider? timeProvider = null,
        string baseUrl = "http://singapay.test/singapay",
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Gateways:Singapay:BaseUrl"] = baseUrl,
            ["Gateways:Singapay:Resilience:RetryCount"] = "0",
            ["Gateways:Singapay:Resilience:AttemptTimeout:Charge"] = "00:00:05",
            ["Gateways:Singapay:Resilience:AttemptTimeout:Inquiry"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        if (timeProvider is not null)
            services.AddSingleton(timeProvider);
        services.AddSingapayGateway(configuration);
        if (primary is not null)
            services.AddHttpClient(SingapayClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => primary);
        configure?.Invoke(services);
        return new GatewayHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
