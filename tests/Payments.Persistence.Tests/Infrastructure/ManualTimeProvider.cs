namespace Payments.Persistence.Tests.Infrastructure;

/// <summary>A clock the test moves by hand; timers still run on real time.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start;
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (this)
            return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (this)
            _now += by;
    }
}
