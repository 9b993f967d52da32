using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Gateways.Resilience;

namespace Payments.Gateways.Singapay;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Singapay adapter as one more <see cref="IPaymentGateway"/> and <see cref="IGatewayCallbackVerifier"/>
    /// (other gateways' registrations stay), with <see cref="SingapayOptions"/> bound from "Gateways:Singapay" and
    /// validated at startup, and the shared gateway resilience ("Gateways:Singapay:Resilience") on its HttpClient, which sends
    /// no trace context (a gateway is a third party).
    /// </summary>
    public static IServiceCollection AddSingapayGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SingapayOptions>()
            .Bind(configuration.GetSection(SingapayOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SingapayOptions>, SingapayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<SingapayAccessTokenProvider>();
        services.AddHttpClient<SingapayClient>(SingapayClient.HttpClientName, (provider, http) =>
                http.BaseAddress = provider.GetRequiredService<IOptions<SingapayOptions>>().Value.ApiBase)
            .WithoutTraceContextPropagation()
            .AddGatewayResilience(PaymentGateways.Singapay);

        // Transient, like the typed client it holds, so each resolution gets a client from the factory's current handler.
        services.TryAddTransient<SingapayGateway>();
        services.AddTransient<IPaymentGateway>(provider => provider.GetRequiredService<SingapayGateway>());
        services.TryAddSingleton<SingapayCallbackVerifier>();
        services.AddSingleton<IGatewayCallbackVerifier>(provider => provider.GetRequiredService<SingapayCallbackVerifier>());
        return services;
    }
}
