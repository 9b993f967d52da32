using System.Diagnostics;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>Questions tests ask of exported spans (an in-memory exporter's list or a <see cref="SpanCollector"/>).</summary>
public static class SpanQueries
{
    /// <summary>
    /// A copy first: the provider listens process-wide, so parallel tests' spans may be added while this reads.
    /// List.ToArray does not throw on a concurrent add the way enumerating the list would.
    /// </summary>
    public static IEnumerable<Activity> Tagged(this List<Activity> spans, string key, string value) =>
        spans.ToArray().Tagged(key, value);

    public static IEnumerable<Activity> Tagged(this IEnumerable<Activity> spans, string key, string value) =>
        spans.Where(s => s.GetTagItem(key)?.ToString() == value);

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
