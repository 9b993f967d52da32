using MassTransit;

namespace Payments.Persistence.Saga;

public sealed class EntityFrameworkSagaRepositoryOptions<TSaga>
    where TSaga : class, ISaga
{
    public EntityFrameworkSagaRepositoryOptions(Func<IQueryable<TSaga>, IQueryable<TSaga>>? queryCustomization)
    {
        QueryCustomization = queryCustomization;
    }

    /// <summary>Applied to every query that loads instances, e.g. to Include owned collections.</summary>
    public Func<IQueryable<TSaga>, IQueryable<TSaga>>? QueryCustomization { get; }

    public IQueryable<TSaga> Customize(IQueryable<TSaga> query)
    {
        return QueryCustomization?.Invoke(query) ?? query;
    }
}
