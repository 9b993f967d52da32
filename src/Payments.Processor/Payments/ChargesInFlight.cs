using System.Collections.Concurrent;

namespace Payments.Processor.Payments;

/// <summary>
/// The charges this process has at a gateway right now. A broker connection that drops while a charge waits for its
/// answer gets the command redelivered, often to this same process, before the first delivery has its answer: the
/// redelivery waits for that answer here instead of sending the request again (which would only meet SP004, and leave
/// the outcome unknown).
/// </summary>
public sealed class ChargesInFlight
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _charges = new();

    /// <summary>Marks the payment's charge as at the gateway; dispose the result once its answer is kept (or lost).</summary>
    public IDisposable Begin(Guid paymentId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _charges[paymentId] = done;
        return new Finished(this, paymentId, done);
    }

    /// <summary>Waits until the payment's charge in this process is over; returns at once if there is none.</summary>
    public Task WaitAsync(Guid paymentId, CancellationToken cancellationToken) =>
        _charges.TryGetValue(paymentId, out var done) ? done.Task.WaitAsync(cancellationToken) : Task.CompletedTask;

    private sealed class Finished(ChargesInFlight owner, Guid paymentId, TaskCompletionSource done) : IDisposable
    {
        public void Dispose()
        {
            owner._charges.TryRemove(new KeyValuePair<Guid, TaskCompletionSource>(paymentId, done));
            done.TrySetResult();
        }
    }
}
