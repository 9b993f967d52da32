using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Timeout;

namespace Payments.Gateways.Resilience;

/// <summary>Failures worth a retry (for calls that may be retried) and counted by the circuit breaker.</summary>
internal static class TransientFailure
{
    public static bool Is(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransientStatus(response.StatusCode),
        _ => false,
    };

    public static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The gateway refused the TCP connection: the request certainly never left this process.</summary>
    public static bool IsConnectionRefused(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                return true;
        }
        return false;
    }
}
