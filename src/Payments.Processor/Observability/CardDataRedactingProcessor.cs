using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;

namespace Payments.Processor.Observability;

/// <summary>
/// The last word before a span is exported: a tag named like card data (cvv, card_number, expiry…) loses its value,
/// and a card number in any tag, the span's name or its status is masked. Events can't be changed once added, so a
/// span with a card number in an event (e.g. an exception message) is not exported at all. Registered ahead of
/// every exporter.
/// </summary>
public sealed partial class CardDataRedactingProcessor(ILogger? logger = null) : BaseProcessor<Activity>
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public override void OnEnd(Activity activity)
    {
        if (Replacements(activity.TagObjects) is { } replacements)
        {
            foreach (var (key, replacement) in replacements)
                activity.SetTag(key, replacement);
        }
        if (CardDataRedaction.TryMaskCardNumbers(activity.DisplayName, out var name))
            activity.DisplayName = name;
        if (activity.StatusDescription is { } description && CardDataRedaction.TryMaskCardNumbers(description, out var masked))
            activity.SetStatus(activity.Status, masked);

        if (activity.Events.Any(e => Replacements(e.Tags) is not null || CardDataRedaction.ContainsCardNumber(e.Name)))
        {
            // Exporters skip spans that are not marked recorded.
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            SpanDropped(_logger, activity.DisplayName, activity.SpanId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Span {SpanName} ({SpanId}) was not exported: one of its events held card data")]
    private static partial void SpanDropped(ILogger logger, string spanName, ActivitySpanId spanId);

    /// <summary>The tags to overwrite, or null when there are none (the common case, answered without allocating).</summary>
    private static List<(string Key, object Replacement)>? Replacements(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        List<(string, object)>? replacements = null;
        foreach (var (key, value) in tags)
        {
            if (value is null)
                continue;
            if (CardDataRedaction.IsSensitiveName(key))
                (replacements ??= []).Add((key, CardDataRedaction.Redacted));
            else if (Text(value) is { } text && CardDataRedaction.TryMaskCardNumbers(text, out var masked))
                (replacements ??= []).Add((key, masked));
        }
        return replacements;
    }

    private static string? Text(object value) => value switch
    {
        string s => s,
        long or ulong or decimal => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        string[] values => string.Join(",", values),
        _ => null,
    };
}
