using MassTransit;
using MassTransit.Configuration;

namespace Payments.Persistence.Saga;

/// <summary>Gives every saga registered without an explicit repository the EF repository.</summary>
public class EntityFrameworkSagaRepositoryRegistrationProvider : ISagaRepositoryRegistrationProvider
{
    private readonly Action<IEntityFrameworkSagaRepositoryConfigurator>? _configure;

    public EntityFrameworkSagaRepositoryRegistrationProvider(Action<IEntityFrameworkSagaRepositoryConfigurator>? configure)
    {
        _configure = configure;
    }

    public virtual void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
    {
        configurator.EntityFrameworkRepository(repository => _configure?.Invoke(repository));
    }
}
