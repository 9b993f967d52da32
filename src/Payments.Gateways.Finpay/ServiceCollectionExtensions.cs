using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Gateways.Resilience;

namespace Payments.Gateways.Finpay;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Finpay adapter as one more <see cref="IPaymentGateway"/> and <see cref="IGatewayCallbackVerifier"/>
    /// (other gateways' registrations stay), with <see cref="FinpayOptions"/> bound from "Gateways:Finpay" and validated
    /// at startup, and the shared gateway resilience ("Gateways:Finpay:Resilience") on its HttpClient, which sends
    /// no trace context (a gateway is a third party).
    /// </summary>
    public static IServiceCollection AddFinpayGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FinpayOptions>()
            .Bind(configuration.GetSection(FinpayOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FinpayOptions>, FinpayOptionsValidator>());

        services.AddHttpClient<FinpayClient>(FinpayClient.HttpClientName, (provider, http) =>
                http.BaseAddress = provider.GetRequiredService<IOptions<FinpayOptions>>().Value.ApiBase)
            .WithoutTraceContextPropagation()
            .AddGatewayResilience(PaymentGateways.Finpay);

        // Transient, like the typed client it holds, so each resolution gets a client from the factory's current handler.
        services.TryAddTransient<FinpayGateway>();
        services.AddTransient<IPaymentGateway>(provider => provider.GetRequiredService<FinpayGateway>());
        services.TryAddSingleton<FinpayCallbackVerifier>();
        services.AddSingleton<IGatewayCallbackVerifier>(provider => provider.GetRequiredService<FinpayCallbackVerifier>());
        return services;
    }
}
