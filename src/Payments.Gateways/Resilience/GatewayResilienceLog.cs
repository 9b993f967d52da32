using Microsoft.Extensions.Logging;

namespace Payments.Gateways.Resilience;

/// <summary>
/// What the gateway pipelines log. Failures are described by status or exception type only: an exception message
/// could quote a URL or a body.
/// </summary>
internal static partial class GatewayResilienceLog
{
    public const string Category = "Payments.Gateways.Resilience";

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "{Gateway} {CallKind} attempt {Attempt} failed ({Failure}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string gateway, GatewayCallKind callKind, int attempt, string failure, TimeSpan delay);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Gateway} circuit opened for {BreakDuration} after {Failure}")]
    public static partial void CircuitOpened(ILogger logger, string gateway, TimeSpan breakDuration, string failure);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Gateway} circuit half-open: testing with one call")]
    public static partial void CircuitHalfOpened(ILogger logger, string gateway);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Gateway} circuit closed")]
    public static partial void CircuitClosed(ILogger logger, string gateway);
}
