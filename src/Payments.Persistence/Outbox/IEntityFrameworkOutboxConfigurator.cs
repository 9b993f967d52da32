using System.Data;
using MassTransit;

namespace Payments.Persistence;

/// <summary>Settings of <c>AddEntityFrameworkOutbox&lt;TDbContext&gt;()</c>; the MassTransit members keep MassTransit's meaning.</summary>
public interface IEntityFrameworkOutboxConfigurator : ITransactionalOutboxConfigurator
{
    /// <summary>How long an inbox row is kept after delivery to recognise a redelivered message (default 30 minutes).</summary>
    TimeSpan DuplicateDetectionWindow { set; }

    /// <summary>Isolation of the consume transaction (default read committed; the inbox row is locked explicitly).</summary>
    IsolationLevel IsolationLevel { set; }

    /// <summary>Lock statements for the database; by default picked from the DbContext's provider.</summary>
    ILockStatementProvider LockStatementProvider { set; }

    /// <summary>How long the relay and the inbox cleanup wait when they found nothing to do (default 10 s).</summary>
    TimeSpan QueryDelay { set; }

    /// <summary>How many outbox scopes / inbox rows one relay or cleanup query takes (default 1000).</summary>
    int QueryMessageLimit { set; }

    /// <summary>Timeout of the relay's and the cleanup's database work per batch (default 30 s).</summary>
    TimeSpan QueryTimeout { set; }

    /// <summary>
    /// How long after consumption the relay delivers an inbox message's outgoing messages itself, because the
    /// process that consumed it stopped before delivering them (default 1 minute).
    /// </summary>
    TimeSpan UndeliveredInboxDelay { set; }

    /// <summary>How many outbox scopes the relay sends at the same time (default 64).</summary>
    int DeliveryConcurrency { set; }

    void DisableInboxCleanupService();

    /// <summary>Removes the relay; left-behind and bus outbox messages then wait for another process to deliver them.</summary>
    void DisableDeliveryService();

    /// <summary>
    /// Sends and publishes made outside a consumer through scoped <see cref="IPublishEndpoint" /> /
    /// <see cref="ISendEndpointProvider" /> are written to the outbox and committed by the caller's SaveChanges.
    /// </summary>
    void UseBusOutbox(Action<IEntityFrameworkBusOutboxConfigurator>? configure = null);

    /// <summary>See <see cref="EntityFrameworkOutboxOptions{TDbContext}.DeliverInline" />; true by default.</summary>
    bool DeliverInline { set; }
}


public interface IEntityFrameworkBusOutboxConfigurator : IBusOutboxConfigurator
{
    /// <summary>How many messages one relay batch sends at most (default 1000).</summary>
    int MessageDeliveryLimit { set; }

    /// <summary>Transport send timeout per message (default 10 s).</summary>
    TimeSpan MessageDeliveryTimeout { set; }
}
