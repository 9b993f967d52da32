namespace Payments.Persistence.Outbox;

/// <summary>Present on a consume context whose work runs inside the outbox's database transaction.</summary>
public interface IDbTransactionContext
{
    Guid TransactionId { get; }
}
