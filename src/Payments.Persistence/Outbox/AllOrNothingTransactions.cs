using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Persistence.Outbox;

internal static class AllOrNothingTransactions
{
    /// <summary>
    /// Begins a transaction that its owner commits whole or rolls back whole. EF otherwise wraps each SaveChanges
    /// inside it in a savepoint (two more statements), to survive a failed SaveChanges that nobody here survives:
    /// a failure rolls the message's whole pass back, and MassTransit runs it again.
    /// </summary>
    public static Task<IDbContextTransaction> BeginAllOrNothingTransactionAsync(this DatabaseFacade database, IsolationLevel isolationLevel,
        CancellationToken cancellationToken)
    {
        database.AutoSavepointsEnabled = false;
        return database.BeginTransactionAsync(isolationLevel, cancellationToken);
    }
}
