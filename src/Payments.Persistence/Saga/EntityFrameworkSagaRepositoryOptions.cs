using MassTransit;

namespace Payments.Persistence.Saga;

public sealed class EntityFrameworkSagaRepositoryOptions<TSaga>(Func<IQueryable<TSaga>, IQueryable<TSaga>>? queryCustomization)
    where TSaga : class, ISaga
{

    /// <summary>Applied to every query that loads instances, e.g. to Include owned collections.</summary>
    public Func<IQueryable<TSaga>, IQueryable<TSaga>>? QueryCustomization { get; } = queryCustomization;

    public IQueryable<TSaga> Customize(IQueryable<TSaga> query)
    {
        return QueryCustomization?.Invoke(query) ?? query;
    }
}
