namespace Payments.Persistence.Tests.TestSaga;

/// <summary>
/// Makes a race deterministic: the first <c>parties</c> arrivals wait for each other (each has already loaded the
/// saga, none has saved), later arrivals (the retries) pass straight through.
/// </summary>
public sealed class RaceGate
{
    private TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrivals;
    private int _parties;

    public int Arrivals => Volatile.Read(ref _arrivals);

    /// <summary>Call before sending the racing messages; arrivals are counted from here.</summary>
    public void Expect(int parties)
    {
        _allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _arrivals, 0);
        _parties = parties;
    }

    public async Task Arrive(CancellationToken cancellationToken)
    {
        var arrival = Interlocked.Increment(ref _arrivals);
        if (arrival > _parties)
            return;

        if (arrival == _parties)
            _allArrived.TrySetResult();

        await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
    }
}
