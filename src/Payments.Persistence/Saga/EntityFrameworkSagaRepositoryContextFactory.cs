using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Payments.Persistence.Saga;

/// <summary>
/// Optimistic EF Core saga repository. It opens no transaction of its own: inside the outbox the consume
/// transaction (already open on the same scoped DbContext) carries the saga's changes; without it each
/// SaveChanges is atomic by itself and the row version detects a concurrent change.
/// </summary>
public class EntityFrameworkSagaRepositoryContextFactory<TSaga> :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    private static readonly ConcurrentDictionary<IModel, bool> CheckedModels = new();

    private readonly ISagaConsumeContextFactory<DbContext, TSaga> _consumeContextFactory;
    private readonly ISagaDbContextFactory<TSaga> _dbContextFactory;
    private readonly EntityFrameworkSagaRepositoryOptions<TSaga> _options;

    public EntityFrameworkSagaRepositoryContextFactory(ISagaDbContextFactory<TSaga> dbContextFactory,
        ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory, EntityFrameworkSagaRepositoryOptions<TSaga> options)
    {
        _dbContextFactory = dbContextFactory;
        _consumeContextFactory = consumeContextFactory;
        _options = options;
    }

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        var dbContext = _dbContextFactory.CreateScoped(context);
        try
        {
            EnsureOptimisticConcurrency(dbContext);

            using var repositoryContext = new DbContextSagaRepositoryContext<TSaga, T>(dbContext, context, _consumeContextFactory, _options);
            await next.Send(repositoryContext).ConfigureAwait(false);
        }
        finally
        {
            await _dbContextFactory.ReleaseAsync(dbContext).ConfigureAwait(false);
        }
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        var dbContext = _dbContextFactory.CreateScoped(context);
        try
        {
            EnsureOptimisticConcurrency(dbContext);

            List<TSaga> instances = await _options.Customize(dbContext.Set<TSaga>())
                .AsTracking()
                .Where(query.FilterExpression)
                .ToListAsync(context.CancellationToken)
                .ConfigureAwait(false);

            using var repositoryContext = new DbContextSagaRepositoryContext<TSaga, T>(dbContext, context, _consumeContextFactory, _options);
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances)).ConfigureAwait(false);
        }
        finally
        {
            await _dbContextFactory.ReleaseAsync(dbContext).ConfigureAwait(false);
        }
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        return ExecuteReadOnly(asyncMethod, cancellationToken);
    }

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        return ExecuteReadOnly(asyncMethod, cancellationToken);
    }

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "entityFrameworkCore");
        context.Add("concurrencyMode", "optimistic");
    }

    private async Task<T> ExecuteReadOnly<T>(Func<DbContextSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken)
    {
        var dbContext = _dbContextFactory.Create();
        try
        {
            return await asyncMethod(new DbContextSagaRepositoryContext<TSaga>(dbContext, _options, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            await _dbContextFactory.ReleaseAsync(dbContext).ConfigureAwait(false);
        }
    }

    /// <summary>Without a concurrency token, two messages for one saga would silently overwrite each other.</summary>
    private static void EnsureOptimisticConcurrency(DbContext dbContext)
    {
        var hasToken = CheckedModels.GetOrAdd(dbContext.Model, model =>
            model.FindEntityType(typeof(TSaga))?.GetProperties().Any(x => x.IsConcurrencyToken) ?? false);

        if (!hasToken)
        {
            throw new ConfigurationException($"The saga {typeof(TSaga).Name} has no concurrency token in {dbContext.GetType().Name}'s model. "
                + "Map a row version in its SagaClassMap (uint xmin with IsRowVersion() on PostgreSQL, byte[] rowversion on SQL Server).");
        }
    }
}
