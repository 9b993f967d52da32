using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Payments.Persistence.SqlServer;

/// <summary>The one place the host and tests choose SQL Server for a Payments DbContext.</summary>
public static class SqlServerDatabase
{
    /// <summary>The value of <c>Database.ProviderName</c> when a context runs on SQL Server.</summary>
    public const string ProviderName = "Microsoft.EntityFrameworkCore.SqlServer";

    /// <summary>Uses SQL Server for a Payments context.</summary>
    public static DbContextOptionsBuilder UsePaymentsSqlServer(this DbContextOptionsBuilder builder, string connectionString) =>
        UsePaymentsSqlServer(builder, connectionString, configure: static _ => { });

    public static DbContextOptionsBuilder<TContext> UsePaymentsSqlServer<TContext>(this DbContextOptionsBuilder<TContext> builder,
        string connectionString)
        where TContext : DbContext
    {
        UsePaymentsSqlServer((DbContextOptionsBuilder)builder, connectionString);
        return builder;
    }

    /// <summary>
    /// As <see cref="UsePaymentsSqlServer(DbContextOptionsBuilder, string)"/>, with provider settings. Leave out
    /// <c>EnableRetryOnFailure</c>: the saga repository, outbox and scheduler open their own transactions, which a
    /// retrying execution strategy refuses.
    /// </summary>
    public static DbContextOptionsBuilder UsePaymentsSqlServer(this DbContextOptionsBuilder builder, string connectionString,
        Action<SqlServerDbContextOptionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(configure);

        return builder.UseSqlServer(connectionString, configure);
    }
}
