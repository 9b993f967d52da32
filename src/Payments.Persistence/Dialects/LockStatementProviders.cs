using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Dialects;

/// <summary>Picks the lock statements for a context from its EF provider, unless one was configured.</summary>
public static class LockStatementProviders
{
    public static ILockStatementProvider Postgres { get; } = new PostgresLockStatementProvider();
    public static ILockStatementProvider SqlServer { get; } = new SqlServerLockStatementProvider();

    public static ILockStatementProvider For(DbContext context, ILockStatementProvider? configured = null)
    {
        return configured ?? Find(context)
            ?? throw new NotSupportedException($"No lock statements for the EF provider '{context.Database.ProviderName}'. "
                + "Configure one with UsePostgres()/UseSqlServer() or set LockStatementProvider.");
    }

    /// <summary>The statements for the context's EF provider, or null when it is neither PostgreSQL nor SQL Server.</summary>
    public static ILockStatementProvider? Find(DbContext context)
    {
        var providerName = context.Database.ProviderName ?? "";
        if (providerName.Contains("Npgsql", StringComparison.OrdinalIgnoreCase))
            return Postgres;
        if (providerName.Contains("SqlServer", StringComparison.OrdinalIgnoreCase))
            return SqlServer;
        return null;
    }
}
