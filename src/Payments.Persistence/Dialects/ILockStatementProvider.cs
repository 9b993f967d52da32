using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence;

/// <summary>
/// The SQL that EF Core cannot express: reading a row while locking it, and claiming rows that no other
/// relay instance holds. Statements use FromSqlRaw placeholders ({0}, {1}, ...) and read table and column
/// names from the EF model, so naming conventions (schemas, snake_case) are honoured.
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
    /// Claims up to {0} bus outbox scopes (OutboxState rows) not yet delivered, oldest first, skipping the
    /// ones another relay holds.
    /// </summary>
    string GetOutboxStateClaimStatement(DbContext context);

    /// <summary>
    /// Claims up to {1} InboxState rows consumed before {0} whose outbox was never delivered (the process
    /// stopped between commit and delivery), skipping the ones another relay or a consumer holds.
    /// </summary>
    string GetUndeliveredInboxStateClaimStatement(DbContext context);
}
