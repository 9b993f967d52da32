using MassTransit;

namespace Payments.Persistence.Saga;

public sealed class EntityFrameworkSagaRepositoryOptions<TSaga>
    where TSaga : class, ISaga
{
    public EntityFrameworkSagaRepositoryOptions(Func<IQueryable<TSaga>, IQueryable<TSaga>>? queryCustomization,
        ConcurrencyMode concurrencyMode = ConcurrencyMode.Optimistic, ILockStatementProvider? lockStatementProvider = null)
    {
        QueryCustomization = queryCustomization;
        ConcurrencyMode = concurrencyMode;
        LockStatementProvider = lockStatementProvider;
    }

    /// <summary>Applied to every query that loads instances, e.g. to Include owned collections.</summary>
    public Func<IQueryable<TSaga>, IQueryable<TSaga>>? QueryCustomization { get; }

    /// <summary>
    /// Pessimistic: inside a transaction (the outbox's), an instance is loaded with a row lock, so a second message for
    /// the same instance waits for the first to commit and then sees its changes, instead of failing and being retried.
    /// </summary>
    public ConcurrencyMode ConcurrencyMode { get; }

    /// <summary>Null picks PostgreSQL or SQL Server statements from the DbContext's provider.</summary>
    public ILockStatementProvider? LockStatementProvider { get; }

    public IQueryable<TSaga> Customize(IQueryable<TSaga> query)
    {
        return QueryCustomization?.Invoke(query) ?? query;
    }
}
