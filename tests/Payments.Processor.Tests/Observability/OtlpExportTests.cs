using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Observability.Support;
using Xunit;

namespace Payments.Processor.Tests.Observability;

public sealed class OtlpExportTests
{
    [Fact]
    public async Task Spans_reach_an_OTLP_HTTP_collector_configured_only_through_the_OTEL_settings()
    {
        await using var collector = await OtlpReceiver.Start();
        var serviceName = $"payments-otlp-test-{Guid.NewGuid():N}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The endpoint without a path: the exporter itself appends /v1/traces for http/protobuf.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = serviceName,
            ["OTEL_METRICS_EXPORTER"] = "none",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddPaymentsTelemetry(configuration).BuildServiceProvider();
        var tracing = services.GetRequiredService<TracerProvider>();

        var paymentId = Guid.NewGuid();
        using (PaymentsTelemetry.StartCallback("Singapay", paymentId, chargeTraceParent: null)) { }
        tracing.ForceFlush(10_000);

        // ForceFlush can return while the batch's HTTP request is still on its way.
        var export = await Eventually.OnlyOne(() => collector.Exports.Where(e => e.Contains(serviceName)), "the processor exported its spans", TimeSpan.FromSeconds(10));
        Assert.Equal("/v1/traces", export.Path);
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.NotEmpty(export.Body);
        Assert.True(export.Contains(paymentId.ToString()), "the span's payment.id was not in the export");
    }
}
