using System.Data;
using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Outbox;

/// <summary>Settings of the transactional outbox for one DbContext type.</summary>
public class EntityFrameworkOutboxOptions<TDbContext>
    where TDbContext : DbContext
{
    /// <summary>Isolation of the consume transaction. Read committed suffices: the inbox row is locked explicitly.</summary>
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadCommitted;

    /// <summary>Null picks PostgreSQL or SQL Server statements from the DbContext's provider.</summary>
    public ILockStatementProvider? LockStatementProvider { get; set; }

    /// <summary>
    /// How long after an inbox message was consumed the relay treats its undelivered outgoing messages as
    /// left behind (the process stopped between commit and delivery) and delivers them itself.
    /// </summary>
    public TimeSpan UndeliveredInboxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// True: a consumed message's outgoing messages go to the transport right after its commit, from memory, and
    /// "delivered" is batched (<see cref="InboxDeliveryCompletions{TDbContext}" />): one commit per message. False: a
    /// second, locked pass delivers them and marks them delivered at once. A process killed or a broker restarted
    /// between the send and the batch makes the relay send them again, so inline delivery trades duplicates after a
    /// crash (same MessageId) for half the commits.
    /// </summary>
    public bool DeliverInline { get; set; } = true;

    /// <summary>How many outbox scopes or inbox messages the relay delivers at the same time.</summary>
    public int DeliveryConcurrency { get; set; } = 64;
}
