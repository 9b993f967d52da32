using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Payments.Persistence.Scheduling;

/// <summary>Settings of the durable scheduler (<see cref="SchedulingServiceCollectionExtensions.AddDurableScheduling"/>).</summary>
public sealed class DurableSchedulingOptions
{
    /// <summary>How long (real time) the dispatcher sleeps between looks for due messages; scheduling in-process wakes it early.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many due messages one claim takes (and one transaction holds while sending).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// Whether this process runs the dispatcher as a hosted service (false for hosts that only schedule). Read when
    /// <see cref="SchedulingServiceCollectionExtensions.AddDurableScheduling"/> runs, so set it in its callback.
    /// </summary>
    public bool RunDispatcher { get; set; } = true;

    internal Action<IServiceCollection>? RegisterStore { get; private set; }

    /// <summary>Keep scheduled messages in process memory: not durable, not transactional. The default.</summary>
    public DurableSchedulingOptions UseInMemory()
    {
        RegisterStore = services =>
        {
            services.TryAddSingleton<InMemoryScheduledMessageStore>();
            services.TryAddSingleton<IScheduledMessageStore>(sp => sp.GetRequiredService<InMemoryScheduledMessageStore>());
        };
        return this;
    }

    /// <summary>
    /// Keep scheduled messages in <typeparamref name="TDbContext"/>, which must call
    /// <see cref="ScheduledMessageModelBuilderExtensions.AddScheduledMessageEntity"/> and be registered as scoped.
    /// </summary>
    public DurableSchedulingOptions UseEntityFramework<TDbContext>()
        where TDbContext : DbContext
    {
        RegisterStore = services =>
        {
            services.TryAddScoped<EntityFrameworkScheduledMessageStore<TDbContext>>();
            services.TryAddScoped<IScheduledMessageStore>(sp => sp.GetRequiredService<EntityFrameworkScheduledMessageStore<TDbContext>>());
        };
        return this;
    }

    internal void Validate()
    {
        if (PollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(PollInterval)} must be positive.");
        }

        if (BatchSize <= 0)
        {
            throw new InvalidOperationException($"{nameof(BatchSize)} must be positive.");
        }
    }
}
