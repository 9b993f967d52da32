using System.Diagnostics;

namespace Payments.Processor.Observability;

/// <summary>
/// Carries a payment's trace across the gap a gateway callback leaves: the charge's W3C traceparent is kept with the
/// charge attempt, and the callback's span links to it.
/// </summary>
public static class PaymentTraceLinks
{
    /// <summary>The current span's W3C traceparent ("00-{trace}-{span}-{flags}"), to keep with the charge attempt.</summary>
    public static string? CaptureCurrent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A link to the span <paramref name="traceParent"/> names; none when it is missing or not a W3C traceparent.</summary>
    public static IEnumerable<ActivityLink> LinksTo(string? traceParent) =>
        TryParse(traceParent, out var context) ? [new ActivityLink(context)] : [];

    public static bool TryParse(string? traceParent, out ActivityContext context)
    {
        context = default;
        return !string.IsNullOrWhiteSpace(traceParent)
               && ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out context);
    }
}
