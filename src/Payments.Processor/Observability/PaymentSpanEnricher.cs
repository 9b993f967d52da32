using System.Diagnostics;
using OpenTelemetry;

namespace Payments.Processor.Observability;

/// <summary>
/// Puts <c>payment.id</c> on every span that works for a payment, so one tag finds them all:
/// MassTransit's saga spans name the saga instance, whose id is the payment's (the only saga here), and the state it
/// left the payment in; any other span inherits the payment (and gateway) of the span it runs under in this process,
/// e.g. the gateway's HTTP call under the saga step that made it.
/// </summary>
public sealed class PaymentSpanEnricher : BaseProcessor<Activity>
{
    internal const string SagaIdTag = "messaging.masstransit.saga_id";
    internal const string EndStateTag = "messaging.masstransit.end_state";

    /// <summary>MassTransit sets the saga id before it starts the span: tag it now, so the spans under it can inherit.</summary>
    public override void OnStart(Activity activity)
    {
        if (activity.GetTagItem(SagaIdTag) is string sagaId)
            activity.SetTag(PaymentsTelemetry.PaymentIdTag, sagaId);
    }

    public override void OnEnd(Activity activity)
    {
        if (activity.GetTagItem(PaymentsTelemetry.PaymentIdTag) is null)
        {
            if (activity.GetTagItem(SagaIdTag) is string sagaId)
                activity.SetTag(PaymentsTelemetry.PaymentIdTag, sagaId);
            else if (activity.Parent?.GetTagItem(PaymentsTelemetry.PaymentIdTag) is { } inherited)
            {
                activity.SetTag(PaymentsTelemetry.PaymentIdTag, inherited);
                if (activity.GetTagItem(PaymentsTelemetry.GatewayTag) is null && activity.Parent.GetTagItem(PaymentsTelemetry.GatewayTag) is { } gateway)
                    activity.SetTag(PaymentsTelemetry.GatewayTag, gateway);
            }
        }
        if (activity.GetTagItem(EndStateTag) is string state && state is not ("Initial" or "Final"))
            activity.SetTag(PaymentsTelemetry.StateTag, state);
    }
}
