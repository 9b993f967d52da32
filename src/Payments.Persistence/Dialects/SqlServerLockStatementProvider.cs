namespace Payments.Persistence.Dialects;

/// <summary>
/// UPDLOCK makes the read take (and keep) update locks even under READ COMMITTED SNAPSHOT; READPAST skips
/// rows other transactions have locked, which is what lets several relays claim batches side by side.
/// </summary>
public sealed class SqlServerLockStatementProvider : SqlLockStatementProvider
{
    protected override string FormatRowLock(string table, string condition)
    {
        return $"SELECT * FROM {table} WITH (UPDLOCK, ROWLOCK) WHERE {condition}";
    }

    protected override string FormatClaim(string table, string condition, string orderBy, string limit)
    {
        return $"SELECT TOP ({limit}) * FROM {table} WITH (UPDLOCK, ROWLOCK, READPAST) WHERE {condition} ORDER BY {orderBy}";
    }
}
