using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Outbox;

/// <summary>
/// Inside a consumer the scope keeps MassTransit's consume-context bus (the consumer's outbox applies there);
/// everywhere else the scope gets the bus outbox.
/// </summary>
public sealed class EntityFrameworkScopedBusContextProvider<TBus, TDbContext> :
    IScopedBusContextProvider<TBus>,
    IDisposable
    where TBus : class, IBus
    where TDbContext : DbContext
{
    public EntityFrameworkScopedBusContextProvider(TBus bus, TDbContext dbContext, IBusOutboxNotification notification,
        Bind<TBus, IClientFactory> clientFactory, Bind<TBus, IScopedConsumeContextProvider> busConsumeContextProvider,
        IScopedConsumeContextProvider globalConsumeContextProvider, IServiceProvider provider, TimeProvider timeProvider)
    {
        if (busConsumeContextProvider.Value.HasContext)
            Context = new ConsumeContextScopedBusContext(busConsumeContextProvider.Value.GetContext(), clientFactory.Value);
        else if (globalConsumeContextProvider.HasContext)
            Context = new ConsumeContextScopedBusContext(globalConsumeContextProvider.GetContext(), clientFactory.Value);
        else
            Context = new EntityFrameworkScopedBusContext<TBus, TDbContext>(bus, dbContext, notification, clientFactory.Value, provider, timeProvider);
    }

    public ScopedBusContext Context { get; }

    public void Dispose()
    {
        (Context as IDisposable)?.Dispose();
    }
}
