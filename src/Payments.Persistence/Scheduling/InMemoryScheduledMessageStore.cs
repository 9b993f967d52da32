namespace Payments.Persistence.Scheduling;

/// <summary>
/// Keeps scheduled messages in process memory: the embedded default when there is no database. Messages are lost on
/// restart and a write is not part of any consume transaction.
/// </summary>
public sealed class InMemoryScheduledMessageStore : IScheduledMessageStore
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, ScheduledMessage> _waiting = new();
    private readonly HashSet<Guid> _claimed = new();

    /// <summary>How many messages are waiting, claimed ones included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    public Task AddAsync(ScheduledMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        lock (_gate)
        {
            // The same token scheduled again replaces the earlier message, as a re-scheduled Quartz trigger would.
            _waiting[message.TokenId] = Copy(message);
        }

        return Task.CompletedTask;
    }

    public Task<bool> CancelAsync(Guid tokenId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_waiting.Remove(tokenId));
        }
    }

    public Task<IScheduledMessageClaim> ClaimDueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);

        lock (_gate)
        {
            List<ScheduledMessage> due = _waiting.Values
                .Where(x => x.DueAt <= now && !_claimed.Contains(x.TokenId))
                .OrderBy(x => x.DueAt)
                .Take(maxCount)
                .Select(Copy)
                .ToList();

            foreach (ScheduledMessage message in due)
            {
                _claimed.Add(message.TokenId);
            }

            return Task.FromResult<IScheduledMessageClaim>(new Claim(this, due));
        }
    }

    /// <summary>A copy of every waiting message, for inspection.</summary>
    public IReadOnlyList<ScheduledMessage> Snapshot()
    {
        lock (_gate)
        {
            return _waiting.Values.Select(Copy).ToList();
        }
    }

    private void Release(IEnumerable<ScheduledMessage> messages, IReadOnlyCollection<Guid> sentTokenIds)
    {
        lock (_gate)
        {
            foreach (ScheduledMessage message in messages)
            {
                _claimed.Remove(message.TokenId);

                // Only remove what was sent as claimed: the token may have been re-scheduled meanwhile.
                if (sentTokenIds.Contains(message.TokenId)
                    && _waiting.TryGetValue(message.TokenId, out ScheduledMessage? current)
                    && current.DueAt == message.DueAt
                    && current.Body == message.Body)
                {
                    _waiting.Remove(message.TokenId);
                }
            }
        }
    }

    private static ScheduledMessage Copy(ScheduledMessage message) => new()
    {
        TokenId = message.TokenId,
        MessageId = message.MessageId,
        CorrelationId = message.CorrelationId,
        DestinationAddress = message.DestinationAddress,
        MessageType = message.MessageType,
        ContentType = message.ContentType,
        Body = message.Body,
        Headers = message.Headers,
        DueAt = message.DueAt,
        CreatedAt = message.CreatedAt,
    };

    private sealed class Claim(InMemoryScheduledMessageStore store, IReadOnlyList<ScheduledMessage> messages) : IScheduledMessageClaim
    {
        private bool _released;

        public IReadOnlyList<ScheduledMessage> Messages { get; } = messages;

        public Task CompleteAsync(IReadOnlyCollection<Guid> sentTokenIds, CancellationToken cancellationToken = default)
        {
            ReleaseOnce(sentTokenIds);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            ReleaseOnce([]);
            return ValueTask.CompletedTask;
        }

        private void ReleaseOnce(IReadOnlyCollection<Guid> sentTokenIds)
        {
            if (_released)
            {
                return;
            }

            _released = true;
            store.Release(Messages, sentTokenIds);
        }
    }
}
