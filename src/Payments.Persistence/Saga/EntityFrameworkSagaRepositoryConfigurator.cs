using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Payments.Persistence.Saga;

public class EntityFrameworkSagaRepositoryConfigurator<TSaga> :
    IEntityFrameworkSagaRepositoryConfigurator<TSaga>,
    ISpecification
    where TSaga : class, ISaga
{
    private ConcurrencyMode _concurrencyMode = ConcurrencyMode.Optimistic;
    private Action<IServiceCollection>? _registerDbContextFactory;
    private Func<IQueryable<TSaga>, IQueryable<TSaga>>? _queryCustomization;
    private ILockStatementProvider? _lockStatementProvider;

    public ConcurrencyMode ConcurrencyMode
    {
        set => _concurrencyMode = value;
    }

    public ILockStatementProvider LockStatementProvider
    {
        set => _lockStatementProvider = value;
    }

    public void ExistingDbContext<TContext>()
        where TContext : DbContext
    {
        _registerDbContextFactory = services =>
            services.TryAddScoped<ISagaDbContextFactory<TSaga>, ContainerSagaDbContextFactory<TContext, TSaga>>();
    }

    public void CustomizeQuery(Func<IQueryable<TSaga>, IQueryable<TSaga>> queryCustomization)
    {
        _queryCustomization = queryCustomization;
    }

    public IEnumerable<ValidationResult> Validate()
    {
        if (_registerDbContextFactory == null)
            yield return this.Failure("DbContext", "must be specified: call ExistingDbContext<TDbContext>()");
    }

    public void Register(ISagaRepositoryRegistrationConfigurator<TSaga> configurator)
    {
        _registerDbContextFactory?.Invoke(configurator);

        configurator.TryAddSingleton(new EntityFrameworkSagaRepositoryOptions<TSaga>(_queryCustomization, _concurrencyMode, _lockStatementProvider));

        configurator.RegisterLoadSagaRepository<TSaga, EntityFrameworkSagaRepositoryContextFactory<TSaga>>();
        configurator.RegisterQuerySagaRepository<TSaga, EntityFrameworkSagaRepositoryContextFactory<TSaga>>();
        configurator.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>,
            EntityFrameworkSagaRepositoryContextFactory<TSaga>>();
    }
}
