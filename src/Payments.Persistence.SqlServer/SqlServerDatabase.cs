using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Payments.Persistence.SqlServer;

/// <summary>The one place the host and tests choose SQL Server for a Payments DbContext.</summary>
public static class SqlServerDatabase
{
    /// <summary>The value of <c>Database.ProviderName</c> when a context runs on SQL Server.</summary>
    public const string ProviderName = "Microsoft.EntityFrameworkCore.SqlServer";

    /// <summary>
    /// Uses SQL Server with SQL authentication (Entra ID through MSAL and Always Encrypted with attestation are not
    /// available in this build; see src/Shims/Microsoft.SqlServer.Server/README.md).
    /// No retrying execution strategy: the saga repository, outbox and scheduler open their own transactions,
    /// which a retrying strategy refuses.
    /// </summary>
    public static DbContextOptionsBuilder UsePaymentsSqlServer(
        this DbContextOptionsBuilder builder,
        string connectionString,
        Action<SqlServerDbContextOptionsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        return builder.UseSqlServer(connectionString, sql => configure?.Invoke(sql));
    }

    public static DbContextOptionsBuilder<TContext> UsePaymentsSqlServer<TContext>(
        this DbContextOptionsBuilder<TContext> builder,
        string connectionString,
        Action<SqlServerDbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
    {
        UsePaymentsSqlServer((DbContextOptionsBuilder)builder, connectionString, configure);
        return builder;
    }
}
