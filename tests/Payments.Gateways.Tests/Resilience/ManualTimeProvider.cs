namespace Payments.Gateways.Tests.Resilience;

/// <summary>A clock the test moves by hand; timers still run on real time (the circuit breaker only reads the clock).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
