using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;

namespace Payments.Persistence.Tests.Contract;

/// <summary>MassTransit's in-memory saga repository and in-memory inbox/outbox: the behaviour ours must match.</summary>
public sealed class InMemorySagaAndOutboxContractTests : SagaAndOutboxContract
{
    protected override void AddStores(IServiceCollection services, IBusRegistrationConfigurator bus, ISagaRegistrationConfigurator<TestSagaState> saga)
    {
        // Never connected: the test saga only asks its context whether a transaction is open (none is, here).
        services.AddDbContext<TestDbContext>(options => options.UseNpgsql("Host=127.0.0.1;Port=1;Username=unused;Database=unused"));
        bus.AddInMemoryInboxOutbox();
        saga.InMemoryRepository();
    }

    protected override void UseOutbox(IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseInMemoryInboxOutbox(context);
}
