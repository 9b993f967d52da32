using System.Diagnostics;

namespace Payments.Processor.Observability;

/// <summary>
/// The processor's own ActivitySource and Meter names, and the span tags every payment span carries.
/// MassTransit, ASP.NET Core, HttpClient and Npgsql emit their own spans; these tags tie them to a payment.
/// </summary>
public static class PaymentsTelemetry
{
    public const string SourceName = "Payments";
    public const string MeterName = "Payments";

    public const string PaymentIdTag = "payment.id";
    public const string GatewayTag = "payment.gateway";
    public const string StateTag = "payment.state";
    public const string CallbackTrustTag = "payment.callback.trust";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts the span of a gateway callback. The gateway calls us without trace context, so the callback is a new
    /// trace; it links back to the trace that sent the charge (<paramref name="chargeTraceParent"/>, the W3C id kept
    /// with the charge attempt), so both show up together.
    /// </summary>
    public static Activity? StartCallback(string gateway, Guid paymentId, string? chargeTraceParent)
    {
        var activity = Source.StartActivity($"{gateway} callback", ActivityKind.Internal, parentContext: default,
            links: PaymentTraceLinks.LinksTo(chargeTraceParent));
        activity?.SetTag(PaymentIdTag, paymentId.ToString());
        activity?.SetTag(GatewayTag, gateway);
        return activity;
    }

    /// <summary>Tags the current span (e.g. the HTTP request or the message being handled) with the payment.</summary>
    public static void TagCurrent(Guid paymentId, string? gateway = null, string? state = null) =>
        Tag(Activity.Current, paymentId, gateway, state);

    internal static void Tag(Activity? activity, Guid paymentId, string? gateway, string? state)
    {
        if (activity is null || paymentId == Guid.Empty)
            return;
        activity.SetTag(PaymentIdTag, paymentId.ToString());
        if (!string.IsNullOrEmpty(gateway))
            activity.SetTag(GatewayTag, gateway);
        if (!string.IsNullOrEmpty(state))
            activity.SetTag(StateTag, state);
    }
}
