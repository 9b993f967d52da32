namespace Payments.Persistence.Outbox;

/// <summary>
/// One row per bus outbox scope (messages sent or published outside a consumer and committed with a
/// SaveChanges). The relay locks this row while it delivers the scope's messages, which keeps them in order.
/// </summary>
public class OutboxState
{
    public Guid OutboxId { get; set; }

    public Guid LockId { get; set; }

    /// <summary>Optimistic concurrency token kept by this library; see <see cref="InboxState.RowVersion" />.</summary>
    public int RowVersion { get; set; }

    public DateTime Created { get; set; }

    public DateTime? Delivered { get; set; }

    public long? LastSequenceNumber { get; set; }
}
