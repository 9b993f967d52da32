using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;

namespace Payments.Persistence.Scheduling;

/// <summary>
/// Runs in the consume scope (installed with <see cref="DurableSchedulerBusExtensions.UseDurableMessageScheduler"/>) and
/// gives the consume context a <see cref="MessageSchedulerContext"/> backed by this scope's store, so
/// <c>context.ScheduleSend</c> and the state machine's <c>Schedule</c>/<c>Unschedule</c> write where the saga writes.
/// </summary>
internal sealed class DurableMessageSchedulerFilter<T>(IScheduledMessageStore store, TimeProvider timeProvider, ScheduledMessageSignal signal)
    : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var provider = new StoreScheduleMessageProvider(store, timeProvider, context, signal);

        MessageSchedulerContext CreateSchedulerContext() =>
            new ConsumeMessageSchedulerContext(context, consumeContext => new MessageScheduler(provider, consumeContext.GetPayload<IBusTopology>()));

        // Replace any scheduler an outer filter installed: this one shares the consume scope's unit of work.
        context.AddOrUpdatePayload(CreateSchedulerContext, _ => CreateSchedulerContext());

        return next.Send(context);
    }

    public void Probe(ProbeContext context)
    {
        ProbeContext scope = context.CreateFilterScope("scheduler");
        scope.Add("type", "durable-store");
    }
}
