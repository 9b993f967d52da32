using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Telemetry;

namespace Payments.Gateways.Resilience;

public static class GatewayResilienceServiceCollectionExtensions
{
    /// <summary>The name of the resilience handler on a gateway's HttpClient (its pipeline is "{client}-gateway").</summary>
    public const string PipelineName = "gateway";

    /// <summary>
    /// Puts Microsoft.Extensions.Http.Resilience's handler in front of this HttpClient: retry for non-charges, the
    /// gateway's one circuit breaker, per-attempt timeouts, with <see cref="GatewayResilienceOptions"/> bound from
    /// "Gateways:{gatewayName}:Resilience" and validated at startup.
    /// <para>
    /// The circuit breaker is a pipeline of its own in Polly's registry, keyed by gateway alone, so every HttpClient of
    /// the gateway shares one circuit (AddResilienceHandler alone would key its pipeline by client name).
    /// </para>
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

        services.TryAddSingleton(provider => new GatewayCircuits(
            provider.GetServices<GatewayResilienceRegistration>(), ClockOf(provider)));
        services.TryAddSingleton<IGatewayCircuitMonitor>(provider => provider.GetRequiredService<GatewayCircuits>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayResilienceOptions>, GatewayResilienceOptionsValidator>());
        services.Configure<TelemetryOptions>(options => options.SeverityProvider = QuietSuccessfulAttempts);

        if (!IsRegistered(services, gatewayName))
        {
            services.AddSingleton(new GatewayResilienceRegistration(gatewayName));
            services.AddOptions<GatewayResilienceOptions>(gatewayName)
                .Configure<IServiceProvider>((options, provider) =>
                    provider.GetService<IConfiguration>()?.GetSection(GatewayResilienceOptions.SectionFor(gatewayName)).Bind(options))
                .ValidateOnStart();
            services.AddResiliencePipeline<GatewayCircuitKey, HttpResponseMessage>(new GatewayCircuitKey(gatewayName), (pipeline, context) =>
            {
                var provider = context.ServiceProvider;
                pipeline.TimeProvider = ClockOf(provider);
                GatewayResiliencePipelines.AddCircuitBreaker(pipeline, gatewayName,
                    provider.GetRequiredService<IOptionsMonitor<GatewayResilienceOptions>>().Get(gatewayName),
                    provider.GetRequiredService<GatewayCircuits>().For(gatewayName), ClockOf(provider), LoggerOf(provider));
            });
        }

        builder.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddHttpMessageHandler(() => new GatewayUnavailableTranslation(gatewayName));
        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            var provider = context.ServiceProvider;
            pipeline.TimeProvider = ClockOf(provider);
            var circuit = provider.GetRequiredService<ResiliencePipelineProvider<GatewayCircuitKey>>()
                .GetPipeline<HttpResponseMessage>(new GatewayCircuitKey(gatewayName));
            GatewayResiliencePipelines.AddAttemptStrategies(pipeline, gatewayName,
                context.GetOptions<GatewayResilienceOptions>(gatewayName), circuit, LoggerOf(provider));
        });
        return builder;
    }

    /// <summary>
    /// Polly logs every attempt at Information, a line per gateway call that says only that it was made: a successful
    /// one goes to Debug. An attempt that failed (a handled outcome) keeps its Warning; every other event its severity.
    /// </summary>
    internal static ResilienceEventSeverity QuietSuccessfulAttempts(SeverityProviderArguments args) =>
        args.Event.EventName == "ExecutionAttempt" && args.Event.Severity == ResilienceEventSeverity.Information
            ? ResilienceEventSeverity.Debug
            : args.Event.Severity;

    private static TimeProvider ClockOf(IServiceProvider provider) => provider.GetService<TimeProvider>() ?? TimeProvider.System;

    private static ILogger LoggerOf(IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>()?.CreateLogger(GatewayResilienceLog.Category) ?? NullLogger.Instance;

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
