using System.Transactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Payments.Persistence.Dialects;

namespace Payments.Persistence.Scheduling;

/// <summary>
/// Stores scheduled messages through the scoped <typeparamref name="TDbContext"/> (which must map
/// <see cref="ScheduledMessage"/> with <see cref="ScheduledMessageModelBuilderExtensions.AddScheduledMessageEntity"/>).
/// Inside a unit of work (the context has a transaction open, as the EF outbox has while a message is consumed) a
/// schedule is only added to the context, so the owner's SaveChanges and commit carry it together with the saga state
/// and the outgoing messages, and a rollback drops it. Outside one it is saved at once, through a separate instance of
/// the context so that nothing else the scoped context tracks is saved with it.
/// </summary>
/// <param name="services">
/// Where a separate context comes from (<see cref="IDbContextFactory{TContext}"/> if registered, else the
/// registered options); without it a schedule outside a unit of work is saved through <paramref name="dbContext"/>.
/// </param>
public sealed class EntityFrameworkScheduledMessageStore<TDbContext>(TDbContext dbContext, IServiceProvider? services = null)
    : IScheduledMessageStore
    where TDbContext : DbContext
{
    private DbSet<ScheduledMessage> Messages => dbContext.Set<ScheduledMessage>();

    private bool InUnitOfWork => dbContext.Database.CurrentTransaction is not null || Transaction.Current is not null;

    public async Task AddAsync(ScheduledMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        ScheduledMessage? tracked = Messages.Local.FirstOrDefault(x => x.TokenId == message.TokenId);
        if (tracked is not null)
        {
            dbContext.Entry(tracked).State = EntityState.Detached;
        }

        // A token scheduled again replaces the waiting message (tokens chosen by the message, see ScheduleTokenId).
        await Messages.Where(x => x.TokenId == message.TokenId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

        if (InUnitOfWork)
        {
            Messages.Add(message);
            return;
        }

        await SaveAloneAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CancelAsync(Guid tokenId, CancellationToken cancellationToken = default)
    {
        ScheduledMessage? pending = Messages.Local.FirstOrDefault(x => x.TokenId == tokenId);
        if (pending is not null && dbContext.Entry(pending).State == EntityState.Added)
        {
            dbContext.Entry(pending).State = EntityState.Detached;
            return true;
        }

        int deleted = await Messages.Where(x => x.TokenId == tokenId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    public async Task<IScheduledMessageClaim> ClaimDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);

        if (dbContext.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("Claiming scheduled messages needs a DbContext without an open transaction.");
        }

        IDbContextTransaction transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<ScheduledMessage> due = await DueForUpdate(now.ToUniversalTime(), maxCount)
                .AsNoTracking()
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);

            return new Claim(Messages, transaction, due);
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The due messages, locked for this transaction and skipped by other claims (PostgreSQL and SQL Server).</summary>
    internal IQueryable<ScheduledMessage> DueForUpdate(DateTimeOffset now, int maxCount)
    {
        if (LockStatementProviders.Find(dbContext) is not { } statements)
        {
            // No row-skipping lock on other providers: safe with a single dispatcher only.
            return Messages.Where(x => x.DueAt <= now).OrderBy(x => x.DueAt).Take(maxCount);
        }

        string sql = statements.GetClaimStatement<ScheduledMessage>(dbContext, nameof(ScheduledMessage.DueAt), "{1}",
            new ColumnCondition(nameof(ScheduledMessage.DueAt), "<= {0}"));
        return Messages.FromSqlRaw(sql, now, maxCount);
    }

    private async Task SaveAloneAsync(ScheduledMessage message, CancellationToken cancellationToken)
    {
        if (services is null)
        {
            Messages.Add(message);
            await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        IDbContextFactory<TDbContext>? factory = services.GetService<IDbContextFactory<TDbContext>>();
        TDbContext separate = factory is not null
            ? await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false)
            : ActivatorUtilities.CreateInstance<TDbContext>(services);
        await using (separate.ConfigureAwait(false))
        {
            separate.Set<ScheduledMessage>().Add(message);
            await separate.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Claim(DbSet<ScheduledMessage> messages, IDbContextTransaction transaction, IReadOnlyList<ScheduledMessage> claimed)
        : IScheduledMessageClaim
    {
        public IReadOnlyList<ScheduledMessage> Messages { get; } = claimed;

        public async Task CompleteAsync(IReadOnlyCollection<Guid> sentTokenIds, CancellationToken cancellationToken = default)
        {
            if (sentTokenIds.Count > 0)
            {
                Guid[] tokenIds = sentTokenIds.ToArray();
                await messages.Where(x => tokenIds.Contains(x.TokenId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => transaction.DisposeAsync();
    }
}
