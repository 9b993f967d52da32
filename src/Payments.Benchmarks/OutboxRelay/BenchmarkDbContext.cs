using Microsoft.EntityFrameworkCore;
using Payments.Persistence;

namespace Payments.Benchmarks.OutboxRelay;

public sealed class BenchmarkDbContext(DbContextOptions<BenchmarkDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddTransactionalOutboxEntities();
    }
}


public record RelayBenchmarkMessage(Guid Id, int Number, string Payload);
