using MassTransit;
using Payments.Persistence.Saga;

namespace Payments.Persistence;

public static class EntityFrameworkSagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Stores the saga with EF Core (optimistic concurrency), e.g.
    /// <c>x.AddSagaStateMachine&lt;M, S&gt;().EntityFrameworkRepository(r => r.ExistingDbContext&lt;PaymentsDbContext&gt;())</c>.
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> EntityFrameworkRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator,
        Action<IEntityFrameworkSagaRepositoryConfigurator<TSaga>> configure)
        where TSaga : class, ISaga
    {
        var repositoryConfigurator = new EntityFrameworkSagaRepositoryConfigurator<TSaga>();
        configure?.Invoke(repositoryConfigurator);

        repositoryConfigurator.Validate().ThrowIfContainsFailure("The Entity Framework saga repository configuration is invalid:");

        configurator.Repository(x => repositoryConfigurator.Register(x));

        return configurator;
    }

    /// <summary>Uses the EF repository for every saga that is registered without one.</summary>
    public static void SetEntityFrameworkSagaRepositoryProvider(this IRegistrationConfigurator configurator,
        Action<IEntityFrameworkSagaRepositoryConfigurator> configure)
    {
        configurator.SetSagaRepositoryProvider(new EntityFrameworkSagaRepositoryRegistrationProvider(configure));
    }
}
