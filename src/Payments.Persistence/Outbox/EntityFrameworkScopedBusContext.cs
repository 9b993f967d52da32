using MassTransit;
using MassTransit.Clients;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;
using MassTransit.Transports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Payments.Persistence.Outbox;

/// <summary>
/// The bus outbox: outside a consumer, <see cref="IPublishEndpoint" /> and <see cref="ISendEndpointProvider" />
/// resolved from a scope write <see cref="OutboxMessage" /> rows into the scope's DbContext instead of sending.
/// They commit with the caller's SaveChanges (with its own data, atomically) and the relay delivers them.
/// </summary>
public class EntityFrameworkScopedBusContext<TBus, TDbContext> :
    ScopedBusContext,
    OutboxSendContext,
    IDisposable
    where TBus : class, IBus
    where TDbContext : DbContext
{
    private readonly TBus _bus;
    private readonly IClientFactory _clientFactory;
    private readonly TDbContext _dbContext;
    private readonly IBusOutboxNotification _notification;
    private readonly IServiceProvider _provider;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _outboxLock = new();
    private Guid _outboxId = NewId.NextGuid();
    private EntityEntry<OutboxState>? _outboxState;
    private IPublishEndpoint? _publishEndpoint;
    private IScopedClientFactory? _scopedClientFactory;
    private ISendEndpointProvider? _sendEndpointProvider;

    public EntityFrameworkScopedBusContext(TBus bus, TDbContext dbContext, IBusOutboxNotification notification, IClientFactory clientFactory,
        IServiceProvider provider, TimeProvider timeProvider)
    {
        _bus = bus;
        _dbContext = dbContext;
        _notification = notification;
        _clientFactory = clientFactory;
        _provider = provider;
        _timeProvider = timeProvider;
    }

    public ISendEndpointProvider SendEndpointProvider => _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, _bus);

    public IPublishEndpoint PublishEndpoint => _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, _bus));

    public IScopedClientFactory ClientFactory =>
        _scopedClientFactory ??= new ScopedClientFactory(new ClientFactory(new ScopedClientFactoryContext(_clientFactory, _provider)), null);

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        Guid outboxId;

        lock (_outboxLock)
        {
            // After a SaveChanges the scope's messages are committed and belong to the relay (after a ChangeTracker.Clear
            // they are gone): either way the next message starts a new outbox scope.
            if (IsClosed())
            {
                if (_outboxState!.State == EntityState.Unchanged)
                    _notification.Delivered();
                _outboxId = NewId.NextGuid();
                _outboxState = null;
            }

            _outboxState ??= _dbContext.Add(new OutboxState { OutboxId = _outboxId, Created = now });
            outboxId = _outboxId;
        }

        _dbContext.Set<OutboxMessage>().AddSend(context, SystemTextJsonMessageSerializer.Instance, now, outboxId: outboxId);

        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType)
    {
        return _provider.GetService(serviceType);
    }

    /// <summary>Wakes the relay when the scope ends with saved messages, so they go out without waiting for the next poll.</summary>
    public void Dispose()
    {
        if (_outboxState?.State == EntityState.Unchanged)
            _notification.Delivered();

        _outboxState = null;
        GC.SuppressFinalize(this);
    }

    private bool IsClosed()
    {
        return _outboxState?.State is EntityState.Unchanged or EntityState.Detached;
    }
}
