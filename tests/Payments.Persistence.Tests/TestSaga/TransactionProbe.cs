using System.Collections.Concurrent;

namespace Payments.Persistence.Tests.TestSaga;

/// <summary>Records whether a database transaction was open on the saga's DbContext while the saga ran.</summary>
public sealed class TransactionProbe
{
    public ConcurrentQueue<bool> InTransaction { get; } = new();

    public void Record(bool inTransaction)
    {
        InTransaction.Enqueue(inTransaction);
    }
}
