using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence;

public interface IEntityFrameworkSagaRepositoryConfigurator
{
    /// <summary>
    /// <see cref="MassTransit.ConcurrencyMode.Optimistic" /> (the default): the saga's row version detects a lost race,
    /// and the endpoint's retry runs the message again. <see cref="MassTransit.ConcurrencyMode.Pessimistic" />: inside the
    /// outbox's transaction an instance is loaded with a row lock, so messages for one instance take turns instead of
    /// racing; the row version stays as a safety net. The repository opens no transaction of its own in either mode.
    /// </summary>
    ConcurrencyMode ConcurrencyMode { set; }

    /// <summary>The row-lock statement for pessimistic loads; by default chosen from the DbContext's provider.</summary>
    ILockStatementProvider LockStatementProvider { set; }

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
