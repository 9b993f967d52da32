using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>
/// An exporter that keeps what it is given, as the OTLP exporter would see it; thread-safe, for the embedded
/// processor whose spans arrive from many threads. Smaller tests use AddInMemoryExporter with <see cref="SpanQueries"/>.
/// </summary>
public sealed class SpanCollector : BaseExporter<Activity>
{
    private readonly ConcurrentQueue<Activity> _spans = new();

    public IReadOnlyList<Activity> Spans => _spans.ToArray();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
            _spans.Enqueue(activity);
        return ExportResult.Success;
    }

    public IEnumerable<Activity> Tagged(string key, string value) => Spans.Tagged(key, value);

    public static IEnumerable<string> Texts(Activity span) => SpanQueries.Texts(span);
}
