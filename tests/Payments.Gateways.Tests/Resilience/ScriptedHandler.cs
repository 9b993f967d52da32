using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Payments.Gateways.Tests.Resilience;

/// <summary>Stands in for the network: answers each request with the next scripted reply and counts what reached it.</summary>
internal sealed class ScriptedHandler(Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply)
    : HttpMessageHandler
{
    private int _requests;
    private readonly ConcurrentQueue<TimeSpan> _arrivals = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>When each request arrived, from the handler's creation.</summary>
    public IReadOnlyList<TimeSpan> Arrivals => _arrivals.ToArray();

    public static ScriptedHandler Always(HttpStatusCode status) =>
        new((_, _, _) => Task.FromResult(new HttpResponseMessage(status)));

    public static ScriptedHandler Sequence(params HttpStatusCode[] statuses) =>
        new((attempt, _, _) => Task.FromResult(new HttpResponseMessage(statuses[Math.Min(attempt, statuses.Length - 1)])));

    /// <summary>Never answers: only the caller's (or the pipeline's) cancellation ends the request.</summary>
    public static ScriptedHandler Hangs() =>
        new(async (_, _, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _arrivals.Enqueue(_clock.Elapsed);
        var attempt = Interlocked.Increment(ref _requests) - 1;
        return reply(attempt, request, cancellationToken);
    }
}
