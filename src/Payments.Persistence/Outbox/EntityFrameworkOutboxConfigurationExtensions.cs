using MassTransit;
using MassTransit.Configuration;
using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Dialects;
using Payments.Persistence.Outbox;

namespace Payments.Persistence;

public static class EntityFrameworkOutboxConfigurationExtensions
{
    /// <summary>Outgoing messages of one consumed message delivered per pass, unless configured otherwise.</summary>
    public const int DefaultMessageDeliveryLimit = 100;

    /// <summary>
    /// Registers the EF transactional outbox for <typeparamref name="TDbContext" />: the consume-side outbox
    /// context factory, the relay (<see cref="BusOutboxDeliveryService{TDbContext}" />) and the inbox cleanup.
    /// Endpoints opt in with <see cref="UseEntityFrameworkOutbox{TDbContext}" />.
    /// </summary>
    public static void AddEntityFrameworkOutbox<TDbContext>(this IBusRegistrationConfigurator configurator,
        Action<IEntityFrameworkOutboxConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        new EntityFrameworkOutboxConfigurator<TDbContext>(configurator).Configure(configure);
    }

    /// <summary>
    /// Runs every consumer and saga on the endpoint through the outbox: their changes to the scoped
    /// <typeparamref name="TDbContext" />, their outgoing messages and the inbox record commit in one transaction.
    /// Configure the endpoint's retry (e.g. <see cref="SagaConcurrencyRetryExtensions.UseSagaConcurrencyRetry" />) too;
    /// it wraps the outbox, so a retry starts a fresh transaction.
    /// </summary>
    public static void UseEntityFrameworkOutbox<TDbContext>(this IReceiveEndpointConfigurator configurator, IRegistrationContext context,
        Action<IOutboxOptionsConfigurator>? configure = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(context);

        var observer = new OutboxConsumePipeSpecificationObserver<TDbContext>(configurator, context);
        // MassTransit delivers one outgoing message per pass by default, and every pass is a transaction; a saga
        // that publishes an event and sends a command would take four. All of a message's go in one pass.
        observer.MessageDeliveryLimit = DefaultMessageDeliveryLimit;
        configure?.Invoke(observer);

        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }

    public static IEntityFrameworkOutboxConfigurator UsePostgres(this IEntityFrameworkOutboxConfigurator configurator)
    {
        configurator.LockStatementProvider = LockStatementProviders.Postgres;
        return configurator;
    }

    public static IEntityFrameworkOutboxConfigurator UseSqlServer(this IEntityFrameworkOutboxConfigurator configurator)
    {
        configurator.LockStatementProvider = LockStatementProviders.SqlServer;
        return configurator;
    }
}
