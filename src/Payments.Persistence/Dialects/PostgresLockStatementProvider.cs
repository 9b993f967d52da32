namespace Payments.Persistence.Dialects;

public sealed class PostgresLockStatementProvider : SqlLockStatementProvider
{
    protected override string FormatRowLock(string table, string condition)
    {
        return $"SELECT * FROM {table} WHERE {condition} FOR UPDATE";
    }

    protected override string FormatClaim(string table, string condition, string orderBy, string limit)
    {
        return $"SELECT * FROM {table} WHERE {condition} ORDER BY {orderBy} LIMIT {limit} FOR UPDATE SKIP LOCKED";
    }
}
