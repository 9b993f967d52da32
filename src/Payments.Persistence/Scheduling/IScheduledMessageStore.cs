namespace Payments.Persistence.Scheduling;

/// <summary>Where scheduled messages wait until they are due.</summary>
public interface IScheduledMessageStore
{
    /// <summary>
    /// Adds a message. A store that writes through a unit of work (the EF store inside a consume transaction) makes it
    /// durable only when that unit commits.
    /// </summary>
    Task AddAsync(ScheduledMessage message, CancellationToken cancellationToken = default);

    /// <summary>Removes the message with this token, if it is still waiting. Returns whether one was removed.</summary>
    Task<bool> CancelAsync(Guid tokenId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="maxCount"/> messages due at or before <paramref name="now"/>, oldest first, so
    /// that no other claim (in this process or another) sees them until this one is disposed.
    /// </summary>
    Task<IScheduledMessageClaim> ClaimDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default);
}

/// <summary>Messages claimed for sending. Disposing without completing releases them for a later claim.</summary>
public interface IScheduledMessageClaim : IAsyncDisposable
{
    IReadOnlyList<ScheduledMessage> Messages { get; }

    /// <summary>Deletes the messages that were sent and releases the rest.</summary>
    Task CompleteAsync(IReadOnlyCollection<Guid> sentTokenIds, CancellationToken cancellationToken = default);
}
