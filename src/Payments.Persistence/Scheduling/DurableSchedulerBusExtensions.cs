using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Payments.Persistence.Scheduling;

public static class DurableSchedulerBusExtensions
{
    /// <summary>
    /// Makes every receive endpoint configured after this call schedule through the durable store: call it on the bus
    /// configurator before <c>ConfigureEndpoints</c>. Needs <see cref="SchedulingServiceCollectionExtensions.AddDurableScheduling"/>.
    /// The scheduler resolves its store from the consume scope, which MassTransit's consumer and saga factories reuse.
    /// </summary>
    public static void UseDurableMessageScheduler(this IConsumePipeConfigurator configurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(context);

        configurator.UseConsumeFilter(typeof(DurableMessageSchedulerFilter<>), context);
    }

    /// <summary>
    /// Registers a scoped <see cref="IMessageScheduler"/> that schedules through the durable store, for code outside
    /// consumers (inside one, prefer the consume context's <c>ScheduleSend</c>). Needs
    /// <see cref="SchedulingServiceCollectionExtensions.AddDurableScheduling"/>.
    /// </summary>
    public static void AddDurableMessageScheduler(this IBusRegistrationConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);

        configurator.TryAddScoped<IMessageScheduler>(sp =>
            new MessageScheduler(sp.GetRequiredService<StoreScheduleMessageProvider>(), sp.GetRequiredService<IBus>().Topology));
    }
}
