using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Dialects;
using Payments.Persistence.Outbox;
using Payments.Persistence.SqlServer;
using Xunit;

namespace Payments.Persistence.Tests;

/// <summary>The SQL the outbox runs beside EF, rendered from the model for each provider; no database needed.</summary>
public sealed class LockStatementTests
{
    private const string UnusedPostgres = "Host=127.0.0.1;Port=1;Username=unused;Database=unused";
    private const string UnusedSqlServer = "Server=tcp:127.0.0.1,1;Database=payments;User ID=payments;Password=unused;Encrypt=False";

    [Fact]
    public void PostgreSQL_statements_lock_rows_and_skip_rows_locked_by_other_relays()
    {
        using var context = OutboxOnlyContext.Postgres();
        var statements = LockStatementProviders.For(context);

        Assert.IsType<PostgresLockStatementProvider>(statements);
        Assert.Equal("SELECT *, xmin FROM \"InboxState\" WHERE \"MessageId\" = {0} AND \"ConsumerId\" = {1} FOR UPDATE",
            statements.GetRowLockStatement<InboxState>(context, nameof(InboxState.MessageId), nameof(InboxState.ConsumerId)));
        Assert.Equal("SELECT * FROM \"OutboxState\" WHERE \"Delivered\" IS NULL ORDER BY \"Created\" LIMIT {0} FOR UPDATE SKIP LOCKED",
            statements.GetOutboxStateClaimStatement(context));
        Assert.Equal("SELECT * FROM \"InboxState\" WHERE \"Delivered\" IS NULL AND \"Consumed\" IS NOT NULL AND \"Consumed\" < {0} "
            + "ORDER BY \"Consumed\" LIMIT {1} FOR UPDATE SKIP LOCKED",
            statements.GetUndeliveredInboxStateClaimStatement(context));
    }

    [Fact]
    public void SQL_Server_statements_use_update_locks_and_read_past_locked_rows()
    {
        using var context = OutboxOnlyContext.SqlServer();
        var statements = LockStatementProviders.For(context);

        Assert.IsType<SqlServerLockStatementProvider>(statements);
        Assert.Equal("SELECT * FROM [InboxState] WITH (UPDLOCK, ROWLOCK) WHERE [MessageId] = {0} AND [ConsumerId] = {1}",
            statements.GetRowLockStatement<InboxState>(context, nameof(InboxState.MessageId), nameof(InboxState.ConsumerId)));
        Assert.Equal("SELECT TOP ({0}) * FROM [OutboxState] WITH (UPDLOCK, ROWLOCK, READPAST) WHERE [Delivered] IS NULL ORDER BY [Created]",
            statements.GetOutboxStateClaimStatement(context));
        Assert.Equal("SELECT TOP ({1}) * FROM [InboxState] WITH (UPDLOCK, ROWLOCK, READPAST) "
            + "WHERE [Delivered] IS NULL AND [Consumed] IS NOT NULL AND [Consumed] < {0} ORDER BY [Consumed]",
            statements.GetUndeliveredInboxStateClaimStatement(context));
    }

    [Fact]
    public void Statements_follow_the_model_s_schema_table_and_column_names()
    {
        using var context = OutboxOnlyContext.Postgres(renamed: true);

        var statement = LockStatementProviders.Postgres.GetOutboxStateClaimStatement(context);

        Assert.Equal("SELECT * FROM messaging.outbox_state WHERE delivered IS NULL ORDER BY created LIMIT {0} FOR UPDATE SKIP LOCKED",
            statement);
    }

    [Fact]
    public void The_outbox_tables_are_real_SQL_Server_DDL()
    {
        using var context = OutboxOnlyContext.SqlServer();

        var script = context.Database.GenerateCreateScript();

        Assert.Contains("CREATE TABLE [InboxState]", script);
        Assert.Contains("[Id] bigint NOT NULL IDENTITY", script);
        Assert.Contains("CONSTRAINT [AK_InboxState_MessageId_ConsumerId] UNIQUE ([MessageId], [ConsumerId])", script);
        Assert.Contains("CREATE TABLE [OutboxMessage]", script);
        Assert.Contains("[SequenceNumber] bigint NOT NULL IDENTITY", script);
        Assert.Contains("[Body] nvarchar(max) NOT NULL", script);
        Assert.Contains("[DestinationAddress] nvarchar(256) NULL", script);
        Assert.Contains("CREATE UNIQUE INDEX [IX_OutboxMessage_OutboxId_SequenceNumber]", script);
        Assert.Contains("CREATE TABLE [OutboxState]", script);
        Assert.Contains("CONSTRAINT [PK_OutboxState] PRIMARY KEY ([OutboxId])", script);
    }

    private sealed class OutboxOnlyContext(DbContextOptions<OutboxOnlyContext> options, bool renamed = false) : DbContext(options)
    {
        public static OutboxOnlyContext Postgres(bool renamed = false)
        {
            return new OutboxOnlyContext(new DbContextOptionsBuilder<OutboxOnlyContext>().UseNpgsql(UnusedPostgres)
                .ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, RenamedModelCacheKey>().Options, renamed);
        }

        public static OutboxOnlyContext SqlServer()
        {
            return new OutboxOnlyContext(new DbContextOptionsBuilder<OutboxOnlyContext>().UsePaymentsSqlServer(UnusedSqlServer).Options);
        }

        public bool Renamed => renamed;

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            if (!renamed)
            {
                modelBuilder.AddTransactionalOutboxEntities();
                return;
            }

            modelBuilder.AddInboxStateEntity();
            modelBuilder.AddOutboxMessageEntity();
            modelBuilder.AddOutboxStateEntity(outbox =>
            {
                outbox.ToTable("outbox_state", "messaging");
                outbox.Property(x => x.Delivered).HasColumnName("delivered");
                outbox.Property(x => x.Created).HasColumnName("created");
            });
        }
    }


    private sealed class RenamedModelCacheKey : Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime)
        {
            return (context.GetType(), ((OutboxOnlyContext)context).Renamed, designTime);
        }
    }
}
