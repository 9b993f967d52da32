using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Persistence.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the durable scheduler: the store chosen in <paramref name="configure"/> (in memory unless told
    /// otherwise), <see cref="StoreScheduleMessageProvider"/> (scoped, also as <see cref="IScheduleMessageProvider"/>)
    /// and <see cref="ScheduledMessageDispatcher"/> (singleton, run as a hosted service unless
    /// <see cref="DurableSchedulingOptions.RunDispatcher"/> is false). Wire the bus with
    /// <see cref="DurableSchedulerBusExtensions.UseDurableMessageScheduler"/> and, for use outside consumers,
    /// <see cref="DurableSchedulerBusExtensions.AddDurableMessageScheduler"/>.
    /// </summary>
    public static IServiceCollection AddDurableScheduling(this IServiceCollection services, Action<DurableSchedulingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(x => x.ServiceType == typeof(ScheduledMessageSignal)))
        {
            throw new InvalidOperationException($"{nameof(AddDurableScheduling)} was already called on these services.");
        }

        var chosen = new DurableSchedulingOptions();
        configure?.Invoke(chosen);
        if (chosen.RegisterStore is null)
        {
            chosen.UseInMemory();
        }

        chosen.RegisterStore!(services);

        services.AddOptions<DurableSchedulingOptions>().Configure(options => configure?.Invoke(options));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScheduledMessageSignal>();
        services.TryAddScoped(typeof(DurableMessageSchedulerFilter<>));

        services.TryAddScoped(sp =>
        {
            IScopedConsumeContextProvider? consumeContexts = sp.GetService<IScopedConsumeContextProvider>();
            return new StoreScheduleMessageProvider(
                sp.GetRequiredService<IScheduledMessageStore>(),
                sp.GetRequiredService<TimeProvider>(),
                consumeContexts is { HasContext: true } ? consumeContexts.GetContext() : null,
                sp.GetRequiredService<ScheduledMessageSignal>());
        });
        services.TryAddScoped<IScheduleMessageProvider>(sp => sp.GetRequiredService<StoreScheduleMessageProvider>());

        services.TryAddSingleton(sp => new ScheduledMessageDispatcher(
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IBus>(),
            sp.GetRequiredService<IOptions<DurableSchedulingOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<ILogger<ScheduledMessageDispatcher>>(),
            sp.GetRequiredService<ScheduledMessageSignal>()));

        if (chosen.RunDispatcher)
        {
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ScheduledMessageDispatcher>());
        }

        return services;
    }
}
