using Microsoft.EntityFrameworkCore;
using Npgsql;
using Payments.Persistence.Scheduling;
using Xunit;

namespace Payments.Persistence.Tests.Scheduling;

public sealed class SchedulingTestDbContext(DbContextOptions<SchedulingTestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddScheduledMessageEntity();
}

/// <summary>The scheduler's table next to the transactional outbox's, as in the processor's own context.</summary>
public sealed class OutboxSchedulingDbContext(DbContextOptions<OutboxSchedulingDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddScheduledMessageEntity();
        modelBuilder.AddTransactionalOutboxEntities();
    }
}

public sealed class PostgresSchedulingDatabase() : PostgresTestDatabase<SchedulingTestDbContext>(options => new SchedulingTestDbContext(options));

public sealed class PostgresOutboxSchedulingDatabase() : PostgresTestDatabase<OutboxSchedulingDbContext>(options => new OutboxSchedulingDbContext(options));

/// <summary>
/// A database of its own on the PostgreSQL named by PAYMENTS_TEST_POSTGRES (start one with
/// <c>eval "$(infra/test-services/postgres.sh start)"</c>); tests using it are skipped when the variable is not set.
/// </summary>
public abstract class PostgresTestDatabase<TContext>(Func<DbContextOptions<TContext>, TContext> create) : IAsyncLifetime
    where TContext : DbContext
{
    public const string EnvironmentVariable = "PAYMENTS_TEST_POSTGRES";

    public string? ConnectionString { get; private set; }

    public void SkipIfUnavailable() =>
        Assert.SkipWhen(ConnectionString is null, $"{EnvironmentVariable} is not set; run infra/test-services/postgres.sh start");

    public void UseIn(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    public TContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<TContext>();
        UseIn(options);
        return create(options.Options);
    }

    public async Task<List<ScheduledMessage>> ReadAllAsync()
    {
        await using TContext context = CreateContext();
        return await context.Set<ScheduledMessage>().AsNoTracking().OrderBy(x => x.DueAt).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task ClearAsync()
    {
        await using TContext context = CreateContext();
        await context.Set<ScheduledMessage>().ExecuteDeleteAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask InitializeAsync()
    {
        string? server = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            return;
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = $"scheduling_{Guid.NewGuid():N}" }.ConnectionString;
        await using TContext context = CreateContext();
        await context.Database.EnsureCreatedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (ConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using TContext context = CreateContext();
        await context.Database.EnsureDeletedAsync();
    }
}
