using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Payments.Gateways.Resilience;

public static class GatewayResilienceServiceCollectionExtensions
{
    /// <summary>
    /// Puts the gateway's shared resilience pipeline (retry for non-charges, one circuit breaker per gateway,
    /// per-attempt timeouts) in front of this HttpClient, with <see cref="GatewayResilienceOptions"/> bound from
    /// "Gateways:{gatewayName}:Resilience" and validated at startup.
    /// <para>
    /// Sets <see cref="HttpClient.Timeout"/> to infinite: the pipeline's per-attempt timeouts rule, and an HttpClient
    /// timeout would surface as a bare cancellation instead of a <c>TimeoutRejectedException</c>.
    /// Mark each request with <see cref="GatewayCallKindExtensions.SetGatewayCallKind"/>; unmarked requests are
    /// treated as charges (never retried).
    /// </para>
    /// Also registers <see cref="IGatewayCircuitMonitor"/> as a singleton.
    /// </summary>
    public static IHttpClientBuilder AddGatewayResilience(this IHttpClientBuilder builder, string gatewayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayName);
        var services = builder.Services;

        services.TryAddSingleton<GatewayResiliencePipelines>();
        services.TryAddSingleton<IGatewayCircuitMonitor>(sp => sp.GetRequiredService<GatewayResiliencePipelines>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayResilienceOptions>, GatewayResilienceOptionsValidator>());

        if (!IsRegistered(services, gatewayName))
        {
            services.AddSingleton(new GatewayResilienceRegistration(gatewayName));
            services.AddOptions<GatewayResilienceOptions>(gatewayName)
                .Configure<IServiceProvider>((options, provider) =>
                    provider.GetService<IConfiguration>()?.GetSection(GatewayResilienceOptions.SectionFor(gatewayName)).Bind(options))
                .ValidateOnStart();
        }

        builder.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddHttpMessageHandler(provider =>
            new GatewayResilienceHandler(gatewayName, provider.GetRequiredService<GatewayResiliencePipelines>()));
        return builder;
    }

    private static bool IsRegistered(IServiceCollection services, string gatewayName) =>
        services.Any(d => d.ServiceType == typeof(GatewayResilienceRegistration)
                          && d.ImplementationInstance is GatewayResilienceRegistration registration
                          && string.Equals(registration.Gateway, gatewayName, StringComparison.OrdinalIgnoreCase));

    private sealed class GatewayResilienceOptionsValidator : IValidateOptions<GatewayResilienceOptions>
    {
        public ValidateOptionsResult Validate(string? name, GatewayResilienceOptions options)
        {
            var problems = options.Validate(name ?? "").ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
