namespace Payments.Persistence.Outbox;

/// <summary>
/// One row per (MessageId, ConsumerId) received through the transactional outbox: the record of what was
/// consumed (so a redelivered message has no second effect) and of whether its outgoing messages were delivered.
/// </summary>
public class InboxState
{
    /// <summary>Surrogate key, so the clustered index grows in insert order.</summary>
    public long Id { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>Identifies the consumer (or saga) on its endpoint; the same message may be consumed once per consumer.</summary>
    public Guid ConsumerId { get; set; }

    /// <summary>Changes every time this process takes the row, for diagnostics.</summary>
    public Guid LockId { get; set; }

    /// <summary>
    /// Optimistic concurrency token kept by this library (incremented on every update), the same on every provider.
    /// Updates happen under a row lock, so it is a safety net rather than the primary guard.
    /// </summary>
    public int RowVersion { get; set; }

    public DateTime Received { get; set; }

    /// <summary>Delivery attempts of this message to this consumer.</summary>
    public int ReceiveCount { get; set; }

    public DateTime? ExpirationTime { get; set; }

    /// <summary>When the consumer's work (and its outgoing messages) committed.</summary>
    public DateTime? Consumed { get; set; }

    /// <summary>When all outgoing messages reached the transport; the row is removed a duplicate-detection window later.</summary>
    public DateTime? Delivered { get; set; }

    public long? LastSequenceNumber { get; set; }
}
