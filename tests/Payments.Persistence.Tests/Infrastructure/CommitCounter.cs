using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Persistence.Tests.Infrastructure;

/// <summary>Counts the transactions committed through the test DbContext, by anyone in the host.</summary>
public sealed class CommitCounter : DbTransactionInterceptor
{
    private long _committed;

    public long Committed => Interlocked.Read(ref _committed);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _committed);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        Interlocked.Increment(ref _committed);
    }
}
