using MassTransit;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Payments.Persistence.Dialects;

namespace Payments.Persistence.Outbox;

/// <summary>
/// Runs a consumed message through the outbox in one transaction. The pass locks (or creates) the inbox row for
/// (MessageId, ConsumerId) and hands MassTransit's outbox pipe a DbContext-backed consume context:
/// <list type="number">
/// <item>consume: the consumer/saga runs; its changes, its outgoing messages and "consumed" commit together;</item>
/// <item>deliver: right after that commit the messages, still in memory, go to the transport; "delivered" and the
/// removal of their rows are batched with other messages' by <see cref="InboxDeliveryCompletions{TDbContext}" />.</item>
/// </list>
/// A redelivered message finds the row already consumed and only completes delivery (from the stored rows, under the
/// row lock), so it has no second effect.
/// </summary>
public class EntityFrameworkOutboxContextFactory<TDbContext> : IOutboxContextFactory<TDbContext>
    where TDbContext : DbContext
{
    private const int InboxInsertRaceLimit = 5;

    private readonly InboxDeliveryCompletions<TDbContext> _completions;
    private readonly TDbContext _dbContext;
    private readonly EntityFrameworkOutboxOptions<TDbContext> _options;
    private readonly IServiceProvider _provider;
    private readonly TimeProvider _timeProvider;

    public EntityFrameworkOutboxContextFactory(TDbContext dbContext, IServiceProvider provider,
        IOptions<EntityFrameworkOutboxOptions<TDbContext>> options, TimeProvider timeProvider, InboxDeliveryCompletions<TDbContext> completions)
    {
        _completions = completions;
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
        var committed = await RunInTransaction(context, options, next, messageId, lockStatement, pass).ConfigureAwait(false);
        if (committed == null)
            return true;

        if (!_options.DeliverInline || !committed.ConsumedThisPass || !committed.Context.ContinueProcessing
            || committed.Context.AddedMessages.Count >= options.MessageDeliveryLimit)
            return committed.Context.ContinueProcessing;

        var delivery = new InlineDeliveryOutboxConsumeContext<TDbContext, T>(context, options, _provider, committed.InboxState,
            committed.Context.AddedMessages, _completions);
        await next.Send(delivery).ConfigureAwait(false);
        return delivery.ContinueProcessing;
    }

    /// <summary>Locks the inbox row, runs the pipe and commits; null when another delivery created the row first.</summary>
    private async Task<CommittedPass<T>?> RunInTransaction<T>(ConsumeContext<T> context, OutboxConsumeOptions options,
        IPipe<OutboxConsumeContext<T>> next, Guid messageId, string lockStatement, PassState pass)
        where T : class
    {
        var cancellationToken = context.CancellationToken;

        // A previous pass (or a retried one) may have left entities behind; each pass starts from the database.
        _dbContext.ChangeTracker.Clear();

        await using var transaction = await _dbContext.Database.BeginAllOrNothingTransactionAsync(_options.IsolationLevel, cancellationToken)
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
                    return null;
                }
            }
            else if (!pass.ReceiveCounted)
            {
                inboxState.ReceiveCount++;
                inboxState.LockId = NewId.NextGuid();
                inboxState.RowVersion++;
            }

            pass.ReceiveCounted = true;
            var consumedBefore = inboxState.Consumed.HasValue;

            var outboxContext = new DbContextOutboxConsumeContext<TDbContext, T>(context, options, _provider, _dbContext, transaction,
                inboxState, _timeProvider);

            await next.Send(outboxContext).ConfigureAwait(false);

            await _dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);

            return new CommittedPass<T>(outboxContext, inboxState, !consumedBefore && outboxContext.IsMessageConsumed);
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


    private sealed record CommittedPass<T>(DbContextOutboxConsumeContext<TDbContext, T> Context, InboxState InboxState, bool ConsumedThisPass)
        where T : class;

    private sealed class PassState
    {
        public bool ReceiveCounted { get; set; }
        public int InboxInsertRaces { get; set; }
    }
}
