using Microsoft.EntityFrameworkCore;
using Npgsql;
using Payments.Persistence.Scheduling;
using Xunit;

namespace Payments.Persistence.Tests.Scheduling;

public sealed class SchedulingTestDbContext(DbContextOptions<SchedulingTestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddScheduledMessageEntity();
}

/// <summary>
/// A database of its own on the PostgreSQL named by PAYMENTS_TEST_POSTGRES (start one with
/// <c>eval "$(infra/test-services/postgres.sh start)"</c>); tests using it are skipped when the variable is not set.
/// </summary>
public sealed class PostgresSchedulingDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "PAYMENTS_TEST_POSTGRES";

    public string? ConnectionString { get; private set; }

    public void SkipIfUnavailable() =>
        Assert.SkipWhen(ConnectionString is null, $"{EnvironmentVariable} is not set; run infra/test-services/postgres.sh start");

    public void UseIn(DbContextOptionsBuilder options) => options.UseNpgsql(ConnectionString);

    public SchedulingTestDbContext CreateContext()
    {
        var options = new DbContextOptionsBuilder<SchedulingTestDbContext>();
        UseIn(options);
        return new SchedulingTestDbContext(options.Options);
    }

    public async Task<List<ScheduledMessage>> ReadAllAsync()
    {
        await using SchedulingTestDbContext context = CreateContext();
        return await context.Set<ScheduledMessage>().AsNoTracking().OrderBy(x => x.DueAt).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task ClearAsync()
    {
        await using SchedulingTestDbContext context = CreateContext();
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
        await using SchedulingTestDbContext context = CreateContext();
        await context.Database.EnsureCreatedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (ConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using SchedulingTestDbContext context = CreateContext();
        await context.Database.EnsureDeletedAsync();
    }
}
