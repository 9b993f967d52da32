namespace Payments.Persistence.Dialects;

/// <summary>
/// The row lock also returns <c>xmin</c>, the system column (not part of <c>*</c>) that entities map as their row
/// version, so EF can load an entity from the locking statement itself; other entities ignore the extra column.
/// </summary>
public sealed class PostgresLockStatementProvider : SqlLockStatementProvider
{
    protected override string FormatRowLock(string table, string condition)
    {
        return $"SELECT *, xmin FROM {table} WHERE {condition} FOR UPDATE";
    }

    protected override string FormatClaim(string table, string condition, string orderBy, string limit)
    {
        return $"SELECT * FROM {table} WHERE {condition} ORDER BY {orderBy} LIMIT {limit} FOR UPDATE SKIP LOCKED";
    }
}
