using MassTransit;
using Microsoft.EntityFrameworkCore;
using Payments.Persistence;
using Payments.Persistence.Scheduling;
using Payments.Persistence.SqlServer;
using Payments.Processor.Api;
using Payments.Processor.Health;
using Payments.Processor.Payments;
using Payments.Processor.Persistence;

namespace Payments.Processor.Hosting;

/// <summary>
/// Where payments, the charge ledger, scheduled messages and outgoing messages are kept: a database, or process
/// memory. Chosen once from the settings (<see cref="For"/>); everything that differs between the two is asked of
/// the choice, never of the settings again.
/// </summary>
public abstract class PaymentStores
{
    public static PaymentStores For(ProcessorSettings settings) =>
        settings.Database == DatabaseProvider.InMemory ? new InMemoryPaymentStores() : new DatabasePaymentStores(settings);

    /// <summary>The stores and the services that read them (ledger, scheduler, payment listings).</summary>
    public virtual void AddTo(IServiceCollection services)
    {
        services.AddSingleton(this);
    }

    /// <summary>Keeps the payment saga's instances, and, for a database, registers the transactional outbox.</summary>
    public abstract void AddSagaRepository(IBusRegistrationConfigurator bus, ISagaRegistrationConfigurator<PaymentState> saga);

    /// <summary>Each endpoint's state changes and outgoing messages take effect together, or not at all.</summary>
    public abstract void ConfigureTransactionalEndpoint(IReceiveEndpointConfigurator endpoint, IRegistrationContext context);

    /// <summary>Readiness checks of the store itself, beside the bus and gateway checks.</summary>
    public abstract void AddHealthChecks(IHealthChecksBuilder health);
}

internal sealed class InMemoryPaymentStores : PaymentStores
{
    public override void AddTo(IServiceCollection services)
    {
        base.AddTo(services);
        services.AddSingleton<IChargeAttemptLedger, InMemoryChargeAttemptLedger>();
        services.AddDurableScheduling(o => o.UseInMemory());
        services.AddScoped<IPaymentListing, SagaRepositoryPaymentListing>();
    }

    public override void AddSagaRepository(IBusRegistrationConfigurator bus, ISagaRegistrationConfigurator<PaymentState> saga) =>
        saga.InMemoryRepository();

    public override void ConfigureTransactionalEndpoint(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseInMemoryOutbox(context);

    public override void AddHealthChecks(IHealthChecksBuilder health)
    {
        // Process memory is always there.
    }
}

internal sealed class DatabasePaymentStores(ProcessorSettings settings) : PaymentStores
{
    public override void AddTo(IServiceCollection services)
    {
        base.AddTo(services);
        services.AddSingleton<DatabaseSchema>();
        if (settings.MigrateOnStart)
            services.AddHostedService(sp => sp.GetRequiredService<DatabaseSchema>()); // before the bus's hosted service
        services.AddDbContext<PaymentsDbContext>(UseProvider, optionsLifetime: ServiceLifetime.Singleton);
        services.AddDbContextFactory<PaymentsDbContext>(UseProvider);
        services.AddSingleton<IChargeAttemptLedger, EntityFrameworkChargeAttemptLedger>();
        services.AddDurableScheduling(o => o.UseEntityFramework<PaymentsDbContext>());
        services.AddScoped<IPaymentListing, DatabasePaymentListing>();
    }

    private void UseProvider(DbContextOptionsBuilder db)
    {
        if (settings.Database == DatabaseProvider.SqlServer)
            db.UsePaymentsSqlServer(settings.ConnectionString!);
        else
            db.UseNpgsql(PostgresConnectionDefaults.WithDefaults(settings.ConnectionString!));
    }

    public override void AddSagaRepository(IBusRegistrationConfigurator bus, ISagaRegistrationConfigurator<PaymentState> saga)
    {
        saga.EntityFrameworkRepository(r =>
        {
            // A charge's result and the gateway's callback often arrive together: they take turns on the row
            // instead of one failing and being retried.
            r.ConcurrencyMode = ConcurrencyMode.Pessimistic;
            r.ExistingDbContext<PaymentsDbContext>();
        });
        bus.AddEntityFrameworkOutbox<PaymentsDbContext>(o =>
        {
            if (settings.Database == DatabaseProvider.SqlServer)
                o.UseSqlServer();
            else
                o.UsePostgres();
            o.QueryDelay = TimeSpan.FromSeconds(1);
            // Chaos --short (one kill, one broker restart) saw 11 payments completed twice with inline delivery and
            // none without: until that is understood, a consumed message's messages are delivered in a locked pass.
            o.DeliverInline = false;
        });
    }

    public override void ConfigureTransactionalEndpoint(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        // Retry wraps the outbox: a message that lost a race runs again in a fresh transaction.
        endpoint.UseSagaConcurrencyRetry();
        endpoint.UseEntityFrameworkOutbox<PaymentsDbContext>(context);
    }

    public override void AddHealthChecks(IHealthChecksBuilder health)
    {
        health.AddDatabaseCheck<PaymentsDbContext>();
        if (settings.MigrateOnStart)
            health.AddDatabaseSchemaCheck();
    }
}
