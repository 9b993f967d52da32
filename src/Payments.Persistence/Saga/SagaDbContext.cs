using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Saga;

/// <summary>A DbContext that applies its saga class maps; override OnModelCreating (calling base) to add more.</summary>
public abstract class SagaDbContext : DbContext
{
    protected SagaDbContext(DbContextOptions options)
        : base(options)
    {
    }

    protected abstract IEnumerable<ISagaClassMap> Configurations { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        foreach (var configuration in Configurations)
            configuration.Configure(modelBuilder);
    }
}
