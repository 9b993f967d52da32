using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Saga;

/// <summary>Supplies the DbContext a saga repository works with.</summary>
public interface ISagaDbContextFactory<TSaga>
    where TSaga : class, ISaga
{
    /// <summary>The context for reads outside a consumer (load and query repositories).</summary>
    DbContext Create();

    /// <summary>The context for a consumed message: the consume scope's own, shared with the outbox.</summary>
    DbContext CreateScoped<T>(ConsumeContext<T> context)
        where T : class;

    ValueTask ReleaseAsync(DbContext dbContext);
}


/// <summary>Uses the container's scoped <typeparamref name="TDbContext" />; the scope owns and disposes it.</summary>
public sealed class ContainerSagaDbContextFactory<TDbContext, TSaga> : ISagaDbContextFactory<TSaga>
    where TDbContext : DbContext
    where TSaga : class, ISaga
{
    private readonly TDbContext _dbContext;

    public ContainerSagaDbContextFactory(TDbContext dbContext)
    {
        _dbContext = dbContext;
    }

    public DbContext Create()
    {
        return _dbContext;
    }

    public DbContext CreateScoped<T>(ConsumeContext<T> context)
        where T : class
    {
        return _dbContext;
    }

    public ValueTask ReleaseAsync(DbContext dbContext)
    {
        return ValueTask.CompletedTask;
    }
}
