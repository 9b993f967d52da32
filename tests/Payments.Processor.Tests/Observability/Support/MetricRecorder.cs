using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Payments.Processor.Observability;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>Listens to the "Payments" meter created by one meter factory (one container), so parallel tests don't mix.</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MetricRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PaymentsTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<RecordedMeasurement> All => _measurements.ToArray();

    public IReadOnlyList<RecordedMeasurement> Of(string instrument) => All.Where(m => m.Instrument == instrument).ToList();

    /// <summary>Asks observable instruments (gauges) for their current values.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value,
            tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));

    public void Dispose() => _listener.Dispose();
}

public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public string? this[string tag] => Tags.TryGetValue(tag, out var value) ? value : null;
}
