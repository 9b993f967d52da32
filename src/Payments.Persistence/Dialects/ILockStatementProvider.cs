using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence;

/// <summary>
/// The SQL that EF Core cannot express: reading a row while locking it, and claiming rows that no other
/// relay or dispatcher holds. One mechanism for the saga, the outbox and the scheduler; each names its own
/// rows (see OutboxLockStatements). Statements use FromSqlRaw placeholders ({0}, {1}, ...) and read table
/// and column names from the EF model, so naming conventions (schemas, snake_case) are honoured.
/// </summary>
public interface ILockStatementProvider
{
    /// <summary>
    /// SELECT of the rows of <typeparamref name="T" /> matching the given key properties, locked until the
    /// transaction ends. One placeholder per key property, in the order given.
    /// </summary>
    string GetRowLockStatement<T>(DbContext context, params string[] keyProperties)
        where T : class;

    /// <summary>
    /// SELECT of at most <paramref name="limit" /> (a placeholder such as "{0}") rows of <typeparamref name="T" />
    /// meeting every condition, ordered by <paramref name="orderByProperty" />, locked until the transaction ends,
    /// skipping the rows another transaction holds.
    /// </summary>
    string GetClaimStatement<T>(DbContext context, string orderByProperty, string limit, params ColumnCondition[] conditions)
        where T : class;
}

/// <summary>A condition on one property's column, e.g. (nameof(Delivered), "IS NULL") or (nameof(DueAt), "&lt;= {0}").</summary>
public readonly record struct ColumnCondition(string Property, string Predicate);
