using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace Payments.Gateways.Resilience;

/// <summary>
/// The circuit of each gateway, as its shared circuit-breaker pipeline reports it. Polly keeps the circuit itself;
/// this only reads it (for health checks and metrics) and remembers when an open circuit's break ends.
/// </summary>
internal sealed class GatewayCircuits(IEnumerable<GatewayResilienceRegistration> registrations, TimeProvider clock)
    : IGatewayCircuitMonitor
{
    private readonly ConcurrentDictionary<string, GatewayCircuit> _circuits = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Gateways { get; } =
        registrations.Select(r => r.Gateway).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The gateway's circuit, created when its pipeline is built.</summary>
    public GatewayCircuit For(string gateway) => _circuits.GetOrAdd(gateway, _ => new GatewayCircuit());

    public GatewayCircuitState GetState(string gateway)
    {
        if (!_circuits.TryGetValue(gateway, out var circuit))
            return GatewayCircuitState.Closed;
        return circuit.StateProvider.CircuitState switch
        {
            CircuitState.Isolated => GatewayCircuitState.Open,
            // Polly moves to half-open only when the next call arrives; report it as soon as the break is over.
            CircuitState.Open => clock.GetUtcNow() >= circuit.OpenUntil ? GatewayCircuitState.HalfOpen : GatewayCircuitState.Open,
            CircuitState.HalfOpen => GatewayCircuitState.HalfOpen,
            _ => GatewayCircuitState.Closed,
        };
    }

    public bool IsOpen(string gateway) => GetState(gateway) == GatewayCircuitState.Open;
}

internal sealed class GatewayCircuit
{
    // "Never" until the circuit opened, so a circuit that is just opening is not reported half-open.
    private long _openUntilTicks = DateTimeOffset.MaxValue.UtcTicks;

    public CircuitBreakerStateProvider StateProvider { get; } = new();

    public DateTimeOffset OpenUntil
    {
        get => new(Interlocked.Read(ref _openUntilTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _openUntilTicks, value.UtcTicks);
    }
}

/// <summary>Marks a gateway registered with AddGatewayResilience, so the monitor can list it before its first call.</summary>
internal sealed record GatewayResilienceRegistration(string Gateway);

/// <summary>Names a gateway's shared circuit-breaker pipeline in Polly's registry.</summary>
internal readonly record struct GatewayCircuitKey(string Gateway);
