namespace Payments.Benchmarks.EndToEnd;

/// <summary>Samples the processors' resident memory four times a second: the first reading, the peak and the last.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly IReadOnlyList<ProcessorProcess> _processors;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly Lock _gate = new();
    private readonly double?[] _start;
    private readonly double[] _peak;
    private readonly double?[] _last;

    public RssSampler(IReadOnlyList<ProcessorProcess> processors)
    {
        _processors = processors;
        _start = new double?[processors.Count];
        _peak = new double[processors.Count];
        _last = new double?[processors.Count];
        Sample();
        _sampling = SampleUntilStoppedAsync();
    }

    /// <summary>Per processor: (start, peak, end) in MB.</summary>
    public IReadOnlyList<(double Start, double Peak, double End)> Readings()
    {
        Sample();
        lock (_gate)
            return Enumerable.Range(0, _processors.Count)
                .Select(i => (_start[i] ?? double.NaN, _peak[i], _last[i] ?? double.NaN))
                .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task SampleUntilStoppedAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), _stop.Token);
            Sample();
        }
    }

    private void Sample()
    {
        lock (_gate)
        {
            for (var i = 0; i < _processors.Count; i++)
            {
                if (_processors[i].ResidentMegabytes() is not { } megabytes)
                    continue;
                _start[i] ??= megabytes;
                _peak[i] = Math.Max(_peak[i], megabytes);
                _last[i] = megabytes;
            }
        }
    }
}
