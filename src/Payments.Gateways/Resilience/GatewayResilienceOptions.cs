namespace Payments.Gateways.Resilience;

/// <summary>
/// Resilience of one gateway's HTTP calls, bound from "Gateways:{gateway}:Resilience".
/// Read once, when the gateway's pipeline is first used; later configuration changes need a restart.
/// </summary>
public sealed class GatewayResilienceOptions
{
    public static string SectionFor(string gatewayName) => $"Gateways:{gatewayName}:Resilience";

    /// <summary>How long one attempt may take, per kind of call. Keys: AttemptTimeout:Charge, :Inquiry, :Token, :Cancel.</summary>
    public GatewayAttemptTimeouts AttemptTimeout { get; set; } = new();

    /// <summary>Retries after the first attempt for inquiries, tokens and cancels. Charges are never retried. 0 disables retries.</summary>
    public int RetryCount { get; set; } = 3;

    /// <summary>First retry delay; it doubles on each retry.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Randomises retry delays so that many callers do not retry in step.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>The share of failed calls within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>The circuit cannot open before this many calls were seen within <see cref="SamplingDuration"/> (at least 2).</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>The window in which failures are counted (at least 0.5 s).</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before letting one through to test the gateway (at least 0.5 s).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Problems in these options, each naming its configuration key; empty when they are valid.</summary>
    public IEnumerable<string> Validate(string gatewayName)
    {
        var section = SectionFor(gatewayName);
        foreach (var kind in Enum.GetValues<GatewayCallKind>())
        {
            var timeout = AttemptTimeout.For(kind);
            if (timeout < TimeSpan.FromMilliseconds(10) || timeout > TimeSpan.FromDays(1))
                yield return $"{section}:AttemptTimeout:{kind} must be between 10 ms and 1 day (was {timeout}).";
        }
        if (RetryCount is < 0 or > 100)
            yield return $"{section}:RetryCount must be between 0 and 100 (was {RetryCount}).";
        if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromDays(1))
            yield return $"{section}:BaseDelay must be between 0 and 1 day (was {BaseDelay}).";
        if (FailureRatio is <= 0 or > 1)
            yield return $"{section}:FailureRatio must be above 0 and at most 1 (was {FailureRatio}).";
        if (MinimumThroughput < 2)
            yield return $"{section}:MinimumThroughput must be at least 2 (was {MinimumThroughput}).";
        if (SamplingDuration < TimeSpan.FromMilliseconds(500) || SamplingDuration > TimeSpan.FromDays(1))
            yield return $"{section}:SamplingDuration must be between 0.5 s and 1 day (was {SamplingDuration}).";
        if (BreakDuration < TimeSpan.FromMilliseconds(500) || BreakDuration > TimeSpan.FromDays(1))
            yield return $"{section}:BreakDuration must be between 0.5 s and 1 day (was {BreakDuration}).";
    }
}

public sealed class GatewayAttemptTimeouts
{
    /// <summary>Long: a charge may wait on the issuer, and a charge timeout costs a status check to settle.</summary>
    public TimeSpan Charge { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan Inquiry { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan Token { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan Cancel { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan For(GatewayCallKind kind) => kind switch
    {
        GatewayCallKind.Inquiry => Inquiry,
        GatewayCallKind.Token => Token,
        GatewayCallKind.Cancel => Cancel,
        _ => Charge,
    };
}
