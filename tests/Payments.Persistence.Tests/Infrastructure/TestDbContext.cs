using Microsoft.EntityFrameworkCore;
using Payments.Persistence.Saga;
using Payments.Persistence.Tests.TestSaga;

namespace Payments.Persistence.Tests.Infrastructure;

public sealed class TestDbContext : SagaDbContext
{
    public TestDbContext(DbContextOptions<TestDbContext> options)
        : base(options)
    {
    }

    public DbSet<TestSagaState> Sagas => Set<TestSagaState>();

    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    protected override IEnumerable<ISagaClassMap> Configurations => [new TestSagaStateMap()];

    public static TestDbContext Create(string connectionString)
    {
        return new TestDbContext(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(connectionString).Options);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.AddTransactionalOutboxEntities();

        modelBuilder.Entity<LedgerEntry>().ToTable("LedgerEntry").HasKey(x => x.Id);
    }
}


/// <summary>A plain entity a consumer writes, to show its changes commit (or not) with its messages.</summary>
public sealed class LedgerEntry
{
    public Guid Id { get; set; }

    public decimal Amount { get; set; }
}
