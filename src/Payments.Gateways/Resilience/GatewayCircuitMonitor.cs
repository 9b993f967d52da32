namespace Payments.Gateways.Resilience;

public enum GatewayCircuitState
{
    /// <summary>Calls flow (also before the gateway's first call).</summary>
    Closed,
    /// <summary>Calls are refused without being sent (<see cref="GatewayUnavailableException"/>).</summary>
    Open,
    /// <summary>The break is over: one trial call is let through to test the gateway.</summary>
    HalfOpen,
}

/// <summary>Reads each gateway's circuit, e.g. for a health check. Registered as a singleton by AddGatewayResilience.</summary>
public interface IGatewayCircuitMonitor
{
    /// <summary>The gateways registered with AddGatewayResilience.</summary>
    IReadOnlyCollection<string> Gateways { get; }

    GatewayCircuitState GetState(string gateway);

    bool IsOpen(string gateway);
}
