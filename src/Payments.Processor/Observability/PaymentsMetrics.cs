using System.Diagnostics;
using System.Diagnostics.Metrics;
using Payments.Gateways.Resilience;
using CircuitState = Payments.Gateways.Resilience.GatewayCircuitState;

namespace Payments.Processor.Observability;

/// <summary>
/// The payment instruments on Meter "Payments". The persistence layer records "payments.outbox.lag" and
/// "payments.scheduler.lag" on the same meter name.
/// </summary>
public sealed class PaymentsMetrics
{
    public const string Started = "payments.started";
    public const string Completed = "payments.completed";
    public const string TimeToCompletion = "payments.time_to_completion";
    public const string GatewayCallDuration = "gateway.call.duration";
    public const string GatewayCallErrors = "gateway.call.errors";
    public const string GatewayCircuitState = "gateway.circuit.state";

    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Histogram<double> _timeToCompletion;
    private readonly Histogram<double> _gatewayCallDuration;
    private readonly Counter<long> _gatewayCallErrors;

    public PaymentsMetrics(IMeterFactory meterFactory, IGatewayCircuitMonitor? circuits = null)
    {
        var meter = meterFactory.Create(PaymentsTelemetry.MeterName);
        _started = meter.CreateCounter<long>(Started, unit: "{payment}",
            description: "Payments accepted by the saga (including those failing validation).");
        _completed = meter.CreateCounter<long>(Completed, unit: "{payment}",
            description: "Payments that reached Succeeded or Failed.");
        _timeToCompletion = meter.CreateHistogram<double>(TimeToCompletion, unit: "s",
            description: "From the saga accepting a payment to its final state.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600] });
        _gatewayCallDuration = meter.CreateHistogram<double>(GatewayCallDuration, unit: "s",
            description: "One gateway call as its adapter sees it: retries and resilience included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _gatewayCallErrors = meter.CreateCounter<long>(GatewayCallErrors, unit: "{call}",
            description: "Gateway calls that failed for a technical reason: 5xx, timeout, unavailable, connection error.");
        if (circuits is not null)
            meter.CreateObservableGauge(GatewayCircuitState, () => ObserveCircuits(circuits), unit: "{state}",
                description: "Each gateway's circuit breaker: 0 closed, 1 half-open, 2 open.");
    }

    public void PaymentStarted(string? gateway) =>
        _started.Add(1, new KeyValuePair<string, object?>("gateway", GatewayOrNone(gateway)));

    public void PaymentCompleted(string? gateway, string outcome, TimeSpan? sinceStart)
    {
        var tags = new TagList { { "gateway", GatewayOrNone(gateway) }, { "outcome", outcome } };
        _completed.Add(1, tags);
        if (sinceStart is { } elapsed && elapsed >= TimeSpan.Zero)
            _timeToCompletion.Record(elapsed.TotalSeconds, tags);
    }

    public void GatewayCall(string gateway, string operation, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "gateway", gateway }, { "operation", operation }, { "outcome", outcome } };
        _gatewayCallDuration.Record(duration.TotalSeconds, tags);
        if (GatewayCallOutcomes.IsError(outcome))
            _gatewayCallErrors.Add(1, tags);
    }

    private static string GatewayOrNone(string? gateway) => string.IsNullOrEmpty(gateway) ? "none" : gateway;

    private static IEnumerable<Measurement<int>> ObserveCircuits(IGatewayCircuitMonitor circuits) =>
        circuits.Gateways.Select(gateway => new Measurement<int>(circuits.GetState(gateway) switch
        {
            CircuitState.Open => 2,
            CircuitState.HalfOpen => 1,
            _ => 0,
        }, new KeyValuePair<string, object?>("gateway", gateway)));
}

/// <summary>The <c>outcome</c> tag of gateway calls.</summary>
public static class GatewayCallOutcomes
{
    /// <summary>The gateway answered below 400.</summary>
    public const string Success = "success";
    /// <summary>The gateway answered 4xx (not 408/429): a refusal such as a decline or bad credentials.</summary>
    public const string Rejected = "rejected";
    /// <summary>5xx, 408 or 429, after any retries.</summary>
    public const string ServerError = "server_error";
    /// <summary>An attempt timed out (Polly's TimeoutRejectedException).</summary>
    public const string Timeout = "timeout";
    /// <summary>Not sent: circuit open or connection refused (GatewayUnavailableException).</summary>
    public const string Unavailable = "unavailable";
    /// <summary>Any other failure on the wire, e.g. a connection reset.</summary>
    public const string Error = "error";
    /// <summary>The caller gave up (e.g. shutting down).</summary>
    public const string Cancelled = "cancelled";

    public static bool IsError(string outcome) => outcome is ServerError or Timeout or Unavailable or Error;
}
