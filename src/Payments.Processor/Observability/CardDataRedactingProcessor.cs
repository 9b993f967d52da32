using System.Diagnostics;
using OpenTelemetry;

namespace Payments.Processor.Observability;

/// <summary>
/// The last word before a span is exported: a tag named like card data (cvv, card_number, expiry…) loses its value,
/// and a card number anywhere in a tag, event (e.g. an exception message), span name or status is masked.
/// Registered ahead of every exporter.
/// </summary>
public sealed class CardDataRedactingProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity activity)
    {
        foreach (var (key, replacement) in Replacements(activity.TagObjects))
            activity.SetTag(key, replacement);

        foreach (var activityEvent in activity.Events)
        {
            // Events keep the collection they were created with (MassTransit's and Activity.AddException's are mutable);
            // an event built from a read-only list has nothing we put there.
            if (activityEvent.Tags is ActivityTagsCollection tags)
                foreach (var (key, replacement) in Replacements(tags))
                    tags[key] = replacement;
        }

        if (CardDataRedaction.TryMaskCardNumbers(activity.DisplayName, out var name))
            activity.DisplayName = name;
        if (activity.StatusDescription is { } description && CardDataRedaction.TryMaskCardNumbers(description, out var masked))
            activity.SetStatus(activity.Status, masked);
    }

    private static List<(string Key, object Replacement)> Replacements(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        var replacements = new List<(string, object)>();
        foreach (var (key, value) in tags)
        {
            if (value is null)
                continue;
            if (CardDataRedaction.IsSensitiveName(key))
                replacements.Add((key, CardDataRedaction.Redacted));
            else if (Text(value) is { } text && CardDataRedaction.TryMaskCardNumbers(text, out var masked))
                replacements.Add((key, masked));
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
