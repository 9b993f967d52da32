using System.Transactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Persistence.Scheduling;

/// <summary>
/// Stores scheduled messages through the scoped <typeparamref name="TDbContext"/> (which must map
/// <see cref="ScheduledMessage"/> with <see cref="ScheduledMessageModelBuilderExtensions.AddScheduledMessageEntity"/>).
/// Inside a unit of work (the context has a transaction open, as the saga repository and the outbox do while a message
/// is consumed) a schedule is only tracked, so it commits or rolls back with the saga state and the outbox.
/// Outside one it saves at once (note: SaveChanges then also saves whatever else the context tracks).
/// </summary>
public sealed class EntityFrameworkScheduledMessageStore<TDbContext>(TDbContext dbContext) : IScheduledMessageStore
    where TDbContext : DbContext
{
    private const string PostgreSqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private const string SqlServerProvider = "Microsoft.EntityFrameworkCore.SqlServer";

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

        Messages.Add(message);

        if (!InUnitOfWork)
        {
            await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
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
            List<ScheduledMessage> due = await QueryDueForUpdate(now.ToUniversalTime(), maxCount)
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

    private IQueryable<ScheduledMessage> QueryDueForUpdate(DateTimeOffset now, int maxCount)
    {
        switch (dbContext.Database.ProviderName)
        {
            case PostgreSqlProvider:
            {
                (string table, string dueAt) = TableAndDueAtColumn();
                string sql = $"SELECT * FROM {table} WHERE {dueAt} <= {{0}} ORDER BY {dueAt} LIMIT {{1}} FOR UPDATE SKIP LOCKED";
                return Messages.FromSqlRaw(sql, now, maxCount);
            }

            case SqlServerProvider:
            {
                (string table, string dueAt) = TableAndDueAtColumn();
                string sql = $"SELECT TOP ({{1}}) * FROM {table} WITH (UPDLOCK, READPAST, ROWLOCK) WHERE {dueAt} <= {{0}} ORDER BY {dueAt}";
                return Messages.FromSqlRaw(sql, now, maxCount);
            }

            default:
                // No row-skipping lock on other providers: safe with a single dispatcher only.
                return Messages.Where(x => x.DueAt <= now).OrderBy(x => x.DueAt).Take(maxCount);
        }
    }

    // Identifiers come from the EF model and are delimited by the provider; values go as parameters.
    private (string Table, string DueAt) TableAndDueAtColumn()
    {
        IEntityType entity = dbContext.Model.FindEntityType(typeof(ScheduledMessage))
            ?? throw new InvalidOperationException(
                $"{typeof(TDbContext).Name} does not map {nameof(ScheduledMessage)}; call modelBuilder.{nameof(ScheduledMessageModelBuilderExtensions.AddScheduledMessageEntity)}().");

        string tableName = entity.GetTableName()!;
        string? schema = entity.GetSchema();
        StoreObjectIdentifier table = StoreObjectIdentifier.Table(tableName, schema);
        string dueAtColumn = entity.FindProperty(nameof(ScheduledMessage.DueAt))!.GetColumnName(table)!;

        ISqlGenerationHelper sql = dbContext.GetService<ISqlGenerationHelper>();
        return (sql.DelimitIdentifier(tableName, schema), sql.DelimitIdentifier(dueAtColumn));
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
