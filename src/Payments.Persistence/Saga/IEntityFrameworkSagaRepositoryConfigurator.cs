using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence;

public interface IEntityFrameworkSagaRepositoryConfigurator
{
    /// <summary>
    /// Only <see cref="MassTransit.ConcurrencyMode.Optimistic" /> (the default here) is supported: the saga's map
    /// declares a row version, and no transaction is held while the saga runs.
    /// </summary>
    ConcurrencyMode ConcurrencyMode { set; }

    /// <summary>
    /// Use the container's scoped <typeparamref name="TContext" />: the consume scope's instance, the same one the
    /// EF outbox uses, so saga state, outgoing messages and the inbox record commit in one transaction.
    /// </summary>
    void ExistingDbContext<TContext>()
        where TContext : DbContext;
}


public interface IEntityFrameworkSagaRepositoryConfigurator<TSaga> : IEntityFrameworkSagaRepositoryConfigurator
    where TSaga : class, ISaga
{
    /// <summary>Applied to every query that loads instances, e.g. <c>q => q.Include(x => x.Attempts)</c>.</summary>
    void CustomizeQuery(Func<IQueryable<TSaga>, IQueryable<TSaga>> queryCustomization);
}
