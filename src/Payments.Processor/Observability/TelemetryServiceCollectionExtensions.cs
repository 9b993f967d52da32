using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Payments.Processor.Observability;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Everything that emits spans here: ASP.NET Core, HttpClient, MassTransit, Npgsql, and our own source.</summary>
    public static readonly string[] TraceSources =
        [PaymentsTelemetry.SourceName, "Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Npgsql"];

    public static readonly string[] Meters =
        [PaymentsTelemetry.MeterName, "MassTransit", "System.Net.Http", "Microsoft.AspNetCore.Hosting"];

    /// <summary>
    /// Traces and metrics over OpenTelemetry: a TracerProvider and a MeterProvider owned by the container, started
    /// before the host's other services and flushed after they stopped. Spans are tagged with the payment they
    /// serve and scrubbed of card data before any exporter sees them. OTLP export is on when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set (see <see cref="PaymentsTelemetryOptions"/>). Calling it twice adds nothing.
    /// </summary>
    public static IServiceCollection AddPaymentsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(TelemetryLifetime)))
            return services;

        services.AddOptions<PaymentsTelemetryOptions>();
        services.AddPaymentsMetrics();
        services.TryAddSingleton<PaymentBusObserver>();
        services.AddConsumeObserver(provider => provider.GetRequiredService<PaymentBusObserver>());
        services.AddPublishObserver(provider => provider.GetRequiredService<PaymentBusObserver>());
        services.AddSendObserver(provider => provider.GetRequiredService<PaymentBusObserver>());

        services.AddSingleton(provider => BuildTracerProvider(configuration, provider.GetRequiredService<IOptions<PaymentsTelemetryOptions>>().Value,
            provider.GetService<ILoggerFactory>()));
        services.AddSingleton(provider => BuildMeterProvider(configuration, provider.GetRequiredService<IOptions<PaymentsTelemetryOptions>>().Value));
        services.AddSingleton<TelemetryLifetime>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<TelemetryLifetime>());
        return services;
    }

    /// <summary>The "Payments" instruments alone (no providers): enough for a MeterListener or dotnet-counters.</summary>
    public static IServiceCollection AddPaymentsMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PaymentsMetrics>();
        return services;
    }

    internal static TracerProvider BuildTracerProvider(IConfiguration configuration, PaymentsTelemetryOptions options,
        ILoggerFactory? loggers = null)
    {
        var builder = Sdk.CreateTracerProviderBuilder()
            // The OTLP exporter reads OTEL_EXPORTER_OTLP_* from here: the host's configuration, environment included.
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(Resource(configuration))
            .AddSource(TraceSources)
            .AddProcessor(new PaymentSpanEnricher())
            .AddProcessor(new CardDataRedactingProcessor(loggers?.CreateLogger<CardDataRedactingProcessor>()));
        foreach (var configure in options.ConfigureTracing)
            configure(builder);
        if (ExportsOverOtlp(configuration, "OTEL_TRACES_EXPORTER"))
            builder.AddOtlpExporter();
        return builder.Build();
    }

    internal static MeterProvider BuildMeterProvider(IConfiguration configuration, PaymentsTelemetryOptions options)
    {
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(configuration))
            .SetResourceBuilder(Resource(configuration))
            .AddMeter(Meters);
        foreach (var configure in options.ConfigureMetrics)
            configure(builder);
        if (ExportsOverOtlp(configuration, "OTEL_METRICS_EXPORTER"))
            builder.AddOtlpExporter();
        return builder.Build();
    }

    private static ResourceBuilder Resource(IConfiguration configuration) =>
        ResourceBuilder.CreateDefault().AddService(ServiceName(configuration),
            serviceVersion: typeof(TelemetryServiceCollectionExtensions).Assembly.GetName().Version?.ToString());

    public static string ServiceName(IConfiguration configuration) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : PaymentsTelemetryOptions.DefaultServiceName;

    /// <summary>OTLP when an endpoint is configured, unless the signal's exporter is set to "none".</summary>
    private static bool ExportsOverOtlp(IConfiguration configuration, string exporterKey) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        && !string.Equals(configuration[exporterKey], "none", StringComparison.OrdinalIgnoreCase);
}
