using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Persistence.Tests.Infrastructure;

/// <summary>Counts the transactions committed, and the savepoints created, through the test DbContext, by anyone in the host.</summary>
public sealed class CommitCounter : DbTransactionInterceptor
{
    private long _committed;
    private long _savepoints;

    public long Committed => Interlocked.Read(ref _committed);

    public long SavepointsCreated => Interlocked.Read(ref _savepoints);

    public override Task CreatedSavepointAsync(DbTransaction transaction, TransactionEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _savepoints);
        return Task.CompletedTask;
    }

    public override void CreatedSavepoint(DbTransaction transaction, TransactionEventData eventData)
    {
        Interlocked.Increment(ref _savepoints);
    }

    // Counted as the commit is sent, not once it returns: a test that sees the committed rows in the database has then
    // always seen the count too (after the commit, the callback would race the test's query).
    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _committed);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Interlocked.Increment(ref _committed);
        return result;
    }
}
