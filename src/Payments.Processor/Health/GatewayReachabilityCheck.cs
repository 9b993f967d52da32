using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Gateways.Resilience;

namespace Payments.Processor.Health;

/// <summary>
/// Can we reach a gateway? A TCP connection to its BaseUrl's host and port (no API call, nothing charged), and its
/// circuit breaker's state. A gateway that is down makes the processor Degraded, not Unhealthy: payments still
/// arrive and wait (the saga retries, polls continue), and taking the processor out of service would not help.
/// </summary>
public sealed class GatewayReachabilityCheck(
    string gateway,
    Func<Uri> baseUrl,
    TimeProvider clock,
    IGatewayCircuitMonitor? circuits = null) : IHealthCheck
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var url = baseUrl();
        var circuit = circuits is not null && circuits.Gateways.Contains(gateway, StringComparer.OrdinalIgnoreCase)
            ? circuits.GetState(gateway)
            : (GatewayCircuitState?)null;
        var data = new Dictionary<string, object>
        {
            ["baseUrl"] = url.GetLeftPart(UriPartial.Authority),
            ["circuit"] = circuit?.ToString() ?? "not registered",
        };

        var unreachable = await Connect(url, cancellationToken);
        if (unreachable is not null)
            return HealthCheckResult.Degraded($"{gateway}: {url.Host}:{url.Port} not reachable ({unreachable})", data: data);
        if (circuit == GatewayCircuitState.Open)
            return HealthCheckResult.Degraded($"{gateway}: reachable, but its circuit is open after repeated failures; calls wait", data: data);
        return HealthCheckResult.Healthy($"{gateway}: {url.Host}:{url.Port} reachable", data);
    }

    /// <summary>Null when a TCP connection was made; otherwise why not.</summary>
    private async Task<string?> Connect(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ConnectTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(url.Host, url.Port, linked.Token);
            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {ConnectTimeout.TotalSeconds:0.#} s";
        }
        catch (SocketException exception)
        {
            return exception.SocketErrorCode.ToString();
        }
    }
}
