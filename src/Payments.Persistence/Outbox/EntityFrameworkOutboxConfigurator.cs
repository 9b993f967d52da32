using System.Data;
using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Payments.Persistence.Outbox;

public class EntityFrameworkOutboxConfigurator<TDbContext> :
    IEntityFrameworkOutboxConfigurator,
    IEntityFrameworkBusOutboxConfigurator
    where TDbContext : DbContext
{
    private readonly IServiceCollection _services;
    private bool _busOutbox;
    private bool _cleanupDisabled;
    private bool _deliveryDisabled;

    public EntityFrameworkOutboxConfigurator(IServiceCollection services)
    {
        _services = services;
    }

    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadCommitted;
    public ILockStatementProvider? LockStatementProvider { get; set; }
    public TimeSpan QueryDelay { get; set; } = TimeSpan.FromSeconds(10);
    public int QueryMessageLimit { get; set; } = 1000;
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan UndeliveredInboxDelay { get; set; } = TimeSpan.FromMinutes(1);
    public int DeliveryConcurrency { get; set; } = 64;
    public bool DeliverInline { get; set; } = true;
    public int MessageDeliveryLimit { get; set; } = 1000;
    public TimeSpan MessageDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    ILockStatementProvider IEntityFrameworkOutboxConfigurator.LockStatementProvider
    {
        set => LockStatementProvider = value ?? throw new ConfigurationException("LockStatementProvider must not be null");
    }

    public void DisableInboxCleanupService()
    {
        _cleanupDisabled = true;
    }

    public void DisableDeliveryService()
    {
        _deliveryDisabled = true;
    }

    public void UseBusOutbox(Action<IEntityFrameworkBusOutboxConfigurator>? configure = null)
    {
        _busOutbox = true;
        configure?.Invoke(this);
    }

    public void Configure(Action<IEntityFrameworkOutboxConfigurator>? configure)
    {
        configure?.Invoke(this);

        _services.TryAddSingleton(TimeProvider.System);
        _services.TryAddScoped<IOutboxContextFactory<TDbContext>, EntityFrameworkOutboxContextFactory<TDbContext>>();
        _services.TryAddSingleton<IBusOutboxNotification, BusOutboxNotification>();

        _services.AddOptions<EntityFrameworkOutboxOptions<TDbContext>>().Configure(options =>
        {
            options.IsolationLevel = IsolationLevel;
            options.LockStatementProvider = LockStatementProvider;
            options.UndeliveredInboxDelay = UndeliveredInboxDelay;
            options.DeliveryConcurrency = DeliveryConcurrency;
            options.DeliverInline = DeliverInline;
        });
        _services.AddOptions<InboxCleanupServiceOptions>().Configure(options =>
        {
            options.DuplicateDetectionWindow = DuplicateDetectionWindow;
            options.QueryMessageLimit = QueryMessageLimit;
            options.QueryDelay = QueryDelay;
            options.QueryTimeout = QueryTimeout;
        });
        _services.AddOptions<OutboxDeliveryServiceOptions>().Configure(options =>
        {
            options.QueryDelay = QueryDelay;
            options.QueryMessageLimit = QueryMessageLimit;
            options.QueryTimeout = QueryTimeout;
            options.MessageDeliveryLimit = MessageDeliveryLimit;
            options.MessageDeliveryTimeout = MessageDeliveryTimeout;
        });

        _services.TryAddSingleton<InboxCleanupService<TDbContext>>();
        _services.AddMetrics();
        _services.TryAddSingleton<BusOutboxDeliveryService<TDbContext>>();
        _services.TryAddSingleton<InboxDeliveryCompletions<TDbContext>>();
        _services.AddHostedService(provider => provider.GetRequiredService<InboxDeliveryCompletions<TDbContext>>());
        if (!_cleanupDisabled)
            _services.AddHostedService(provider => provider.GetRequiredService<InboxCleanupService<TDbContext>>());
        if (!_deliveryDisabled)
            _services.AddHostedService(provider => provider.GetRequiredService<BusOutboxDeliveryService<TDbContext>>());

        if (_busOutbox)
            _services.Replace(ServiceDescriptor.Scoped<IScopedBusContextProvider<IBus>, EntityFrameworkScopedBusContextProvider<IBus, TDbContext>>());
    }
}
