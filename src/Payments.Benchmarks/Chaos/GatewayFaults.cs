using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Payments.Benchmarks.Chaos;

/// <summary>
/// Misbehaviour for the sandbox to act out, by adding its own request headers (docs/sandbox-test-cards.md) to calls
/// that arrive from the processor: during a fault window, gateway 5xx (nothing processed) and hangs (processed, answer
/// held past the client's timeout); at any time, duplicate and late callbacks for some payments.
/// </summary>
public sealed class GatewayFaults
{
    private const string FaultHeader = "X-Sandbox-Fault";
    private const string CallbackHeader = "X-Sandbox-Callback";

    private volatile bool _windowOpen;
    private long _injected5xx;
    private long _injectedHangs;
    private long _duplicateCallbacks;
    private long _lateCallbacks;

    public void OpenWindow() => _windowOpen = true;
    public void CloseWindow() => _windowOpen = false;

    public long Injected5xx => Interlocked.Read(ref _injected5xx);
    public long InjectedHangs => Interlocked.Read(ref _injectedHangs);
    public long DuplicateCallbacks => Interlocked.Read(ref _duplicateCallbacks);
    public long LateCallbacks => Interlocked.Read(ref _lateCallbacks);

    public void AddTo(WebApplication sandbox) => sandbox.Use(async (context, next) =>
    {
        Decide(context.Request);
        await next(context);
    });

    private void Decide(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var isApi = path.StartsWith("/singapay/api/", StringComparison.Ordinal) || path.StartsWith("/finpay/pg/", StringComparison.Ordinal);
        if (!isApi)
            return;

        // Not a security decision: which calls misbehave only needs to be spread out.
#pragma warning disable CA5394
        var roll = Random.Shared.NextDouble();
#pragma warning restore CA5394
        if (_windowOpen && roll < 0.4)
        {
            request.Headers[FaultHeader] = "status=503";
            Interlocked.Increment(ref _injected5xx);
            return;
        }
        if (_windowOpen && roll < 0.6)
        {
            request.Headers[FaultHeader] = "timeout";
            Interlocked.Increment(ref _injectedHangs);
            return;
        }

        var isPayment = HttpMethods.IsPost(request.Method) && (path.EndsWith("/payment", StringComparison.Ordinal));
        if (!isPayment)
            return;
        if (roll > 0.9)
        {
            request.Headers[CallbackHeader] = "duplicate";
            Interlocked.Increment(ref _duplicateCallbacks);
        }
        else if (roll > 0.85)
        {
            request.Headers[CallbackHeader] = "delay=20000";
            Interlocked.Increment(ref _lateCallbacks);
        }
    }
}
