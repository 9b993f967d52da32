using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests.Contract;

/// <summary>Our EF saga repository, outbox and inbox on PostgreSQL.</summary>
public sealed class EntityFrameworkSagaAndOutboxContractTests(PostgresDatabase database)
    : SagaAndOutboxContract, IClassFixture<PostgresDatabase>
{
    public override async ValueTask InitializeAsync()
    {
        await database.ResetAsync();
        await base.InitializeAsync();
    }

    protected override void AddStores(IServiceCollection services, IBusRegistrationConfigurator bus, ISagaRegistrationConfigurator<TestSagaState> saga)
    {
        services.AddDbContext<TestDbContext>(options => options.UseNpgsql(database.ConnectionString));
        bus.AddEntityFrameworkOutbox<TestDbContext>(outbox =>
        {
            outbox.UsePostgres();
            outbox.DisableDeliveryService();
            outbox.DisableInboxCleanupService();
        });
        saga.EntityFrameworkRepository(repository => repository.ExistingDbContext<TestDbContext>());
    }

    protected override void UseOutbox(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.UseSagaConcurrencyRetry();
        endpoint.UseEntityFrameworkOutbox<TestDbContext>(context);
    }
}
