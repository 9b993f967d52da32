namespace Payments.Gateways.Singapay.Tests.Support;

/// <summary>A clock that only moves when told to. Timers (Task.Delay, Polly timeouts) still run in real time.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}
