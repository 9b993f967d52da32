using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Payments.Processor.Observability;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces and metrics over OpenTelemetry (<c>AddOpenTelemetry()</c>, whose hosted service starts the providers
    /// with the host; the container flushes and disposes them): ASP.NET Core, HttpClient, SQL Server, Npgsql,
    /// MassTransit, runtime metrics and our own source and meter. Spans are tagged with the payment they serve and
    /// scrubbed of card data before any exporter sees them. OTLP export is on when OTEL_EXPORTER_OTLP_ENDPOINT is set
    /// (see <see cref="PaymentsTelemetryOptions"/>). Calling it twice adds nothing.
    /// </summary>
    public static IServiceCollection AddPaymentsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(PaymentBusObserver)))
            return services;

        services.AddOptions<PaymentsTelemetryOptions>();
        services.AddPaymentsMetrics();
        services.TryAddSingleton<PaymentBusObserver>();
        services.AddConsumeObserver(provider => provider.GetRequiredService<PaymentBusObserver>());
        services.AddPublishObserver(provider => provider.GetRequiredService<PaymentBusObserver>());
        services.AddSendObserver(provider => provider.GetRequiredService<PaymentBusObserver>());
        // The OTLP exporter reads OTEL_EXPORTER_OTLP_* from the container's configuration; a host has registered it already.
        services.TryAddSingleton(configuration);

        // OpenTelemetry's HttpClient instrumentation writes traceparent and baggage into every request itself unless the
        // default propagator is plain W3C trace context; then .NET's DiagnosticsHandler alone propagates, through each
        // handler's ActivityHeadersPropagator, which the gateway clients set to send nothing (they are third parties).
        Sdk.SetDefaultTextMapPropagator(new TraceContextPropagator());
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName(configuration),
                serviceVersion: typeof(TelemetryServiceCollectionExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => ConfigureTracing(tracing, configuration))
            .WithMetrics(metrics => ConfigureMetrics(metrics, configuration));
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

    private static void ConfigureTracing(TracerProviderBuilder tracing, IConfiguration configuration)
    {
        tracing
            .AddSource(PaymentsTelemetry.SourceName, DiagnosticHeaders.DefaultListenerName)
            .AddAspNetCoreInstrumentation(options => options.EnrichWithHttpResponse = TagPaymentOfRoute)
            .AddHttpClientInstrumentation()
            .AddSqlClientInstrumentation()
            .AddNpgsql()
            .AddProcessor(new PaymentSpanEnricher())
            .AddProcessor(provider => new CardDataRedactingProcessor(provider.GetService<ILogger<CardDataRedactingProcessor>>()));
        // Deferred until the container is built, and after the redactor: exporters added through
        // PaymentsTelemetryOptions only ever see redacted spans.
        ((IDeferredTracerProviderBuilder)tracing).Configure((provider, builder) =>
        {
            foreach (var configure in provider.GetRequiredService<IOptions<PaymentsTelemetryOptions>>().Value.ConfigureTracing)
                configure(builder);
        });
        if (ExportsOverOtlp(configuration, "OTEL_TRACES_EXPORTER"))
            tracing.AddOtlpExporter();
    }

    private static void ConfigureMetrics(MeterProviderBuilder metrics, IConfiguration configuration)
    {
        metrics
            .AddMeter(PaymentsTelemetry.MeterName, InstrumentationOptions.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddSqlClientInstrumentation()
            .AddNpgsqlInstrumentation();
        ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
        {
            foreach (var configure in provider.GetRequiredService<IOptions<PaymentsTelemetryOptions>>().Value.ConfigureMetrics)
                configure(builder);
        });
        if (ExportsOverOtlp(configuration, "OTEL_METRICS_EXPORTER"))
            metrics.AddOtlpExporter();
    }

    /// <summary>A /payments/{id} request's span names the payment it asked about.</summary>
    private static void TagPaymentOfRoute(Activity span, HttpResponse response)
    {
        var context = response.HttpContext;
        if ((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.StartsWith("/payments/", StringComparison.Ordinal) == true
            && context.GetRouteValue("id") is string id && Guid.TryParse(id, out var paymentId))
            span.SetTag(PaymentsTelemetry.PaymentIdTag, paymentId.ToString());
    }

    public static string ServiceName(IConfiguration configuration) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : PaymentsTelemetryOptions.DefaultServiceName;

    /// <summary>OTLP when an endpoint is configured, unless the signal's exporter is set to "none".</summary>
    private static bool ExportsOverOtlp(IConfiguration configuration, string exporterKey) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        && !string.Equals(configuration[exporterKey], "none", StringComparison.OrdinalIgnoreCase);
}
