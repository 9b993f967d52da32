using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Payments.Processor.Observability;

/// <summary>
/// Read from the OpenTelemetry environment variables (also as configuration keys): OTEL_SERVICE_NAME,
/// OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL (grpc | http/protobuf), OTEL_TRACES_EXPORTER and
/// OTEL_METRICS_EXPORTER (otlp | none). Tests add their own exporters through <see cref="ConfigureTracing"/> and
/// <see cref="ConfigureMetrics"/> (<c>services.Configure&lt;PaymentsTelemetryOptions&gt;(…)</c>).
/// </summary>
public sealed class PaymentsTelemetryOptions
{
    public const string DefaultServiceName = "payments-processor";

    /// <summary>Runs after the card-data redactor was added: exporters added here only ever see redacted spans.</summary>
    public List<Action<TracerProviderBuilder>> ConfigureTracing { get; } = [];

    public List<Action<MeterProviderBuilder>> ConfigureMetrics { get; } = [];
}
