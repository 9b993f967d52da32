using MassTransit;
using MassTransit.Context;
using MassTransit.Logging;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Dialects;

namespace Payments.Persistence.Saga;

/// <summary>
/// Loads and saves saga instances of one consumed message through the scoped DbContext. Lost races surface as
/// <see cref="ConcurrencyException" /> (a <see cref="SagaException" />), which the endpoint retry handles by
/// running the message again against the instance as it now is.
/// </summary>
public sealed class DbContextSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>,
    IDisposable
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly DbContext _dbContext;
    private readonly ISagaConsumeContextFactory<DbContext, TSaga> _factory;
    private readonly SemaphoreSlim _inUse = new(1);
    private readonly EntityFrameworkSagaRepositoryOptions<TSaga> _options;

    public DbContextSagaRepositoryContext(DbContext dbContext, ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<DbContext, TSaga> factory, EntityFrameworkSagaRepositoryOptions<TSaga> options)
        : base(consumeContext, dbContext)
    {
        _dbContext = dbContext;
        _consumeContext = consumeContext;
        _factory = factory;
        _options = options;
    }

    public void Dispose()
    {
        _inUse.Dispose();
    }

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance)
    {
        return _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Add);
    }

    private const string InsertSavepoint = "saga_insert";

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        var entry = _dbContext.Set<TSaga>().Add(instance);
        // The caller loads the existing instance after a lost race, in the same transaction: that needs a savepoint
        // to return to, since PostgreSQL refuses every statement after a failed one (auto savepoints are off).
        var transaction = _dbContext.Database.CurrentTransaction;
        if (transaction is { SupportsSavepoints: true })
            await transaction.CreateSavepointAsync(InsertSavepoint, CancellationToken).ConfigureAwait(false);
        try
        {
            await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);

            _consumeContext.LogInsert<TSaga, TMessage>(instance.CorrelationId);

            return await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Insert)
                .ConfigureAwait(false);
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueKeyViolation(exception))
        {
            // Already there: the caller loads the existing instance instead.
            entry.State = EntityState.Detached;
            if (transaction is { SupportsSavepoints: true })
                await transaction.RollbackToSavepointAsync(InsertSavepoint, CancellationToken).ConfigureAwait(false);
            _consumeContext.LogInsertFault<TSaga, TMessage>(exception, instance.CorrelationId);
            return null!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        // Pessimistic: one round trip that locks the row and reads it (EF composes the query over the lock statement).
        var source = LoadsWithRowLock
            ? _dbContext.Set<TSaga>().FromSqlRaw(RowLockStatement(), correlationId)
            : _dbContext.Set<TSaga>();
        var instance = await _options.Customize(source)
            .AsTracking()
            .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken)
            .ConfigureAwait(false);

        if (instance == null)
            return null!;

        return await _factory.CreateSagaConsumeContext(_dbContext, _consumeContext, instance, SagaConsumeContextMode.Load)
            .ConfigureAwait(false);
    }

    private bool LoadsWithRowLock =>
        _options.ConcurrencyMode == ConcurrencyMode.Pessimistic && _dbContext.Database.CurrentTransaction != null;

    private string RowLockStatement() =>
        LockStatementProviders.For(_dbContext, _options.LockStatementProvider)
            .GetRowLockStatement<TSaga>(_dbContext, nameof(ISaga.CorrelationId));

    public Task Save(SagaConsumeContext<TSaga> context)
    {
        return Write(context, () => _dbContext.Set<TSaga>().Add(context.Saga));
    }

    public Task Update(SagaConsumeContext<TSaga> context)
    {
        return Write(context, () => { });
    }

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        return Write(context, () => _dbContext.Set<TSaga>().Remove(context.Saga));
    }

    public Task Discard(SagaConsumeContext<TSaga> context)
    {
        return Task.CompletedTask;
    }

    public async Task Undo(SagaConsumeContext<TSaga> context)
    {
        await _inUse.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            var entry = _dbContext.ChangeTracker.Entries<TSaga>().FirstOrDefault(x => x.Entity.CorrelationId == context.Saga.CorrelationId);
            if (entry != null)
                entry.State = EntityState.Detached;
        }
        finally
        {
            _inUse.Release();
        }
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance,
        SagaConsumeContextMode mode)
        where T : class
    {
        return _factory.CreateSagaConsumeContext(_dbContext, consumeContext, instance, mode);
    }

    private async Task Write(SagaConsumeContext<TSaga> context, Action change)
    {
        await _inUse.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            change();
            await _dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            // A retry that reuses this DbContext must read the instance again, not this stale copy.
            _dbContext.Entry(context.Saga).State = EntityState.Detached;
            throw new ConcurrencyException($"Saga {typeof(TSaga).Name} {context.Saga.CorrelationId} was changed by another message",
                typeof(TSaga), context.Saga.CorrelationId, exception);
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueKeyViolation(exception))
        {
            _dbContext.Entry(context.Saga).State = EntityState.Detached;
            throw new ConcurrencyException($"Saga {typeof(TSaga).Name} {context.Saga.CorrelationId} was created by another message",
                typeof(TSaga), context.Saga.CorrelationId, exception);
        }
        finally
        {
            _inUse.Release();
        }
    }
}


/// <summary>Read-only access for <see cref="ILoadSagaRepository{TSaga}" /> and <see cref="IQuerySagaRepository{TSaga}" />.</summary>
public sealed class DbContextSagaRepositoryContext<TSaga> :
    BasePipeContext,
    QuerySagaRepositoryContext<TSaga>,
    LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    private readonly DbContext _dbContext;
    private readonly EntityFrameworkSagaRepositoryOptions<TSaga> _options;

    public DbContextSagaRepositoryContext(DbContext dbContext, EntityFrameworkSagaRepositoryOptions<TSaga> options,
        CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _dbContext = dbContext;
        _options = options;
    }

    public async Task<TSaga> Load(Guid correlationId)
    {
        return (await _options.Customize(_dbContext.Set<TSaga>())
            .AsNoTracking()
            .SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken)
            .ConfigureAwait(false))!;
    }

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
    {
        List<Guid> correlationIds = await _dbContext.Set<TSaga>()
            .AsNoTracking()
            .Where(query.FilterExpression)
            .Select(x => x.CorrelationId)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);

        return new DefaultSagaRepositoryQueryContext<TSaga>(this, correlationIds);
    }
}
