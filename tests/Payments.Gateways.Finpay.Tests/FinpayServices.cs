using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Payments.Gateways.Finpay.Tests;

/// <summary>The Finpay adapter as the processor wires it (AddFinpayGateway), optionally ending at a test handler instead of the network.</summary>
internal sealed class FinpayServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private FinpayServices(ServiceProvider provider) => _provider = provider;

    public IServiceProvider Services => _provider;

    public FinpayGateway Gateway => _provider.GetRequiredService<FinpayGateway>();

    public FinpayCallbackVerifier Verifier => _provider.GetRequiredService<FinpayCallbackVerifier>();

    public static FinpayServices Create(HttpMessageHandler? primary = null, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                // Generous for a loaded 2-core machine; tests about timeouts set their own.
                ["Gateways:Finpay:Resilience:AttemptTimeout:Charge"] = "00:00:05",
                ["Gateways:Finpay:Resilience:AttemptTimeout:Inquiry"] = "00:00:05",
                ["Gateways:Finpay:Resilience:BaseDelay"] = "00:00:00.010",
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddFinpayGateway(configuration);
        if (primary is not null)
            services.AddHttpClient(FinpayClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => primary);
        return new FinpayServices(services.BuildServiceProvider(validateScopes: true));
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>How the processor names a payment to Finpay: our reference, and Finpay's id once known.</summary>
internal static class PaymentReferences
{
    public static GatewayPaymentReference For(string merchantReference, string? gatewayTransactionId = null) =>
        new(merchantReference, gatewayTransactionId, null);
}
