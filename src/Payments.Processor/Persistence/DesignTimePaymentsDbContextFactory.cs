using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Payments.Processor.Persistence;

/// <summary>What `dotnet ef` builds migrations from: the PostgreSQL model. No connection is opened.</summary>
public sealed class DesignTimePaymentsDbContextFactory : IDesignTimeDbContextFactory<PaymentsDbContext>
{
    public PaymentsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PaymentsDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("PAYMENTS_DESIGN_POSTGRES") ?? "Host=localhost;Database=payments")
            .Options);
}
