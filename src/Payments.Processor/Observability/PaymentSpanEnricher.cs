using System.Diagnostics;
using OpenTelemetry;

namespace Payments.Processor.Observability;

/// <summary>
/// MassTransit's saga spans name the saga instance and the states it moved between; the only saga here is the
/// payment, whose id is the saga's. This copies them to <c>payment.id</c> and <c>payment.state</c>, so one tag
/// finds every span of a payment.
/// </summary>
public sealed class PaymentSpanEnricher : BaseProcessor<Activity>
{
    internal const string SagaIdTag = "messaging.masstransit.saga_id";
    internal const string EndStateTag = "messaging.masstransit.end_state";

    public override void OnEnd(Activity activity)
    {
        if (activity.Source.Name != "MassTransit")
            return;
        if (activity.GetTagItem(PaymentsTelemetry.PaymentIdTag) is null && activity.GetTagItem(SagaIdTag) is string sagaId)
            activity.SetTag(PaymentsTelemetry.PaymentIdTag, sagaId);
        if (activity.GetTagItem(EndStateTag) is string state && state is not ("Initial" or "Final"))
            activity.SetTag(PaymentsTelemetry.StateTag, state);
    }
}
