using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Outbox;

/// <summary>The rows the outbox relay claims, in whichever dialect the context's lock statements speak.</summary>
public static class OutboxLockStatements
{
    /// <summary>
    /// Claims up to {0} bus outbox scopes (OutboxState rows) not yet delivered, oldest first, skipping the
    /// ones another relay holds.
    /// </summary>
    public static string GetOutboxStateClaimStatement(this ILockStatementProvider statements, DbContext context)
    {
        return statements.GetClaimStatement<OutboxState>(context, nameof(OutboxState.Created), "{0}",
            new ColumnCondition(nameof(OutboxState.Delivered), "IS NULL"));
    }

    /// <summary>
    /// Claims up to {1} InboxState rows consumed before {0} whose outbox was never delivered (the process
    /// stopped between commit and delivery), skipping the ones another relay or a consumer holds.
    /// </summary>
    public static string GetUndeliveredInboxStateClaimStatement(this ILockStatementProvider statements, DbContext context)
    {
        return statements.GetClaimStatement<InboxState>(context, nameof(InboxState.Consumed), "{1}",
            new ColumnCondition(nameof(InboxState.Delivered), "IS NULL"),
            new ColumnCondition(nameof(InboxState.Consumed), "IS NOT NULL"),
            new ColumnCondition(nameof(InboxState.Consumed), "< {0}"));
    }
}
