using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>An exporter that keeps what it is given, as the OTLP exporter would see it.</summary>
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

    public IEnumerable<Activity> Tagged(string key, string value) =>
        Spans.Where(s => s.GetTagItem(key)?.ToString() == value);

    /// <summary>Every string a span carries to an exporter: name, tags, event names and tags, status, links' tags.</summary>
    public static IEnumerable<string> Texts(Activity span)
    {
        yield return span.DisplayName;
        if (span.StatusDescription is { } status)
            yield return status;
        foreach (var (key, value) in span.TagObjects)
            yield return $"{key}={value}";
        foreach (var activityEvent in span.Events)
        {
            yield return activityEvent.Name;
            foreach (var (key, value) in activityEvent.Tags)
                yield return $"{key}={value}";
        }
        foreach (var link in span.Links)
            foreach (var (key, value) in link.Tags ?? [])
                yield return $"{key}={value}";
    }
}
