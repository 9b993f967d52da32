namespace Payments.Persistence.Scheduling;

/// <summary>Wakes the dispatcher in this process when something is scheduled, so a message due soon need not wait a full poll.</summary>
internal sealed class ScheduledMessageSignal
{
    private readonly object _gate = new();
    private TaskCompletionSource _scheduled = NewSource();
    private DateTimeOffset? _earliestDueAt;

    public void Notify(DateTimeOffset dueAt)
    {
        TaskCompletionSource toComplete;
        lock (_gate)
        {
            if (_earliestDueAt is null || dueAt < _earliestDueAt)
            {
                _earliestDueAt = dueAt;
            }

            toComplete = _scheduled;
        }

        toComplete.TrySetResult();
    }

    /// <summary>Completes when something is scheduled after this call.</summary>
    public Task WaitAsync()
    {
        lock (_gate)
        {
            return _scheduled.Task;
        }
    }

    /// <summary>The earliest due time notified since the last take, which is then forgotten; re-arms <see cref="WaitAsync"/>.</summary>
    public DateTimeOffset? TakeEarliestDueAt()
    {
        lock (_gate)
        {
            DateTimeOffset? earliest = _earliestDueAt;
            _earliestDueAt = null;
            if (_scheduled.Task.IsCompleted)
            {
                _scheduled = NewSource();
            }

            return earliest;
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
