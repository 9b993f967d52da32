using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Payments.Processor.Observability;

/// <summary>
/// Starts listening before any other hosted service starts (so the bus's and Kestrel's first spans are seen), and
/// flushes after every other hosted service stopped (so their last spans leave). The container disposes the providers.
/// </summary>
internal sealed class TelemetryLifetime(IServiceProvider services, ILogger<TelemetryLifetime> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _tracing = services.GetRequiredService<TracerProvider>();
        _metrics = services.GetRequiredService<MeterProvider>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var timeout = (int)FlushTimeout.TotalMilliseconds;
        if (_tracing is not null && !_tracing.ForceFlush(timeout))
            logger.LogWarning("Not every span could be exported before shutdown");
        if (_metrics is not null && !_metrics.ForceFlush(timeout))
            logger.LogWarning("Not every metric could be exported before shutdown");
        return Task.CompletedTask;
    }
}
