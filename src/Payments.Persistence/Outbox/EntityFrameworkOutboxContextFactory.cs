using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Payments.Persistence.Dialects;

namespace Payments.Persistence.Outbox;

/// <summary>
/// Runs a consumed message through the outbox in as few transactions as the protocol allows. Each pass
/// locks (or creates) the inbox row for (MessageId, ConsumerId) and hands MassTransit's outbox pipe a
/// DbContext-backed consume context:
/// <list type="number">
/// <item>consume: the consumer/saga runs; its changes, its outgoing messages and "consumed" commit together;</item>
/// <item>deliver: the stored messages go to the transport, then "delivered" and their removal commit together.</item>
/// </list>
/// A redelivered message finds the row already consumed and only completes delivery, so it has no second effect.
/// </summary>
public class EntityFrameworkOutboxContextFactory<TDbContext> : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    private const int InboxInsertRaceLimit = 5;

    private readonly TDbContext _dbContext;
    private readonly EntityFrameworkOutboxOptions<TDbContext> _options;
    private readonly IServiceProvider _provider;
    private readonly TimeProvider _timeProvider;

    public EntityFrameworkOutboxContextFactory(TDbContext dbContext, IServiceProvider provider,
        IOptions<EntityFrameworkOutboxOptions<TDbContext>> options, TimeProvider timeProvider)
    {
        _dbContext = dbContext;
        _provider = provider;
        _options = options.Value;
        _timeProvider = timeProvider;
    }

    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId()
            ?? throw new MessageException(typeof(T), "MessageId required to use the outbox");

        var lockStatement = LockStatementProviders.For(_dbContext, _options.LockStatementProvider)
            .GetRowLockStatement<InboxState>(_dbContext, nameof(InboxState.MessageId), nameof(InboxState.ConsumerId));

        var pass = new PassState();
        var strategy = _dbContext.Database.CreateExecutionStrategy();

        var continueProcessing = true;
        while (continueProcessing)
            continueProcessing = await strategy.ExecuteAsync(() => RunPass(context, options, next, messageId, lockStatement, pass))
                .ConfigureAwait(false);
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("outboxContextFactory");
        scope.Add("provider", "entityFrameworkCore");
    }

    private async Task<bool> RunPass<T>(ConsumeContext<T> context, OutboxConsumeOptions options, IPipe<OutboxConsumeContext<T>> next,
        Guid messageId, string lockStatement, PassState pass)
        where T : class
    {
        var cancellationToken = context.CancellationToken;

        // A previous pass (or a retried one) may have left entities behind; each pass starts from the database.
        _dbContext.ChangeTracker.Clear();

        await using var transaction = await _dbContext.Database.BeginTransactionAsync(_options.IsolationLevel, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var inboxState = (await _dbContext.Set<InboxState>()
                    .FromSqlRaw(lockStatement, messageId, options.ConsumerId)
                    .AsTracking()
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false))
                .SingleOrDefault();

            if (inboxState == null)
            {
                inboxState = await InsertInboxState(context, messageId, options.ConsumerId, cancellationToken).ConfigureAwait(false);
                if (inboxState == null)
                {
                    // Another delivery of the same message inserted the row first; the next pass waits for its lock.
                    await RollBack(transaction).ConfigureAwait(false);
                    if (++pass.InboxInsertRaces > InboxInsertRaceLimit)
                        throw new MessageException(typeof(T), $"The inbox row for message {messageId} could not be created or locked");
                    return true;
                }
            }
            else if (!pass.ReceiveCounted)
            {
                inboxState.ReceiveCount++;
                inboxState.LockId = NewId.NextGuid();
                inboxState.RowVersion++;
            }

            pass.ReceiveCounted = true;

            var outboxContext = new DbContextOutboxConsumeContext<TDbContext, T>(context, options, _provider, _dbContext, transaction,
                inboxState, _timeProvider);

            await next.Send(outboxContext).ConfigureAwait(false);

            await _dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);

            return outboxContext.ContinueProcessing;
        }
        catch (Exception)
        {
            await RollBack(transaction).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<InboxState?> InsertInboxState(ConsumeContext context, Guid messageId, Guid consumerId, CancellationToken cancellationToken)
    {
        var inboxState = new InboxState
        {
            MessageId = messageId,
            ConsumerId = consumerId,
            LockId = NewId.NextGuid(),
            Received = _timeProvider.GetUtcNow().UtcDateTime,
            ReceiveCount = 1,
            ExpirationTime = context.ExpirationTime
        };

        _dbContext.Add(inboxState);
        try
        {
            await _dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return inboxState;
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueKeyViolation(exception))
        {
            return null;
        }
    }

    private static async Task RollBack(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection may already be gone; the database rolls the transaction back by itself then.
        }
    }


    private sealed class PassState
    {
        public bool ReceiveCounted { get; set; }
        public int InboxInsertRaces { get; set; }
    }
}
