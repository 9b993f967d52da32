using System.Globalization;

namespace Payments.Sandbox.Singapay;

/// <summary>
/// Fault injection on any Singapay API call, from the "X-Sandbox-Fault" request header (comma-separated):
/// <c>latency=ms</c> waits before handling; <c>status=500</c> (or 503, or any 4xx/5xx) answers SP002 with that status
/// without handling the request; <c>timeout</c> handles the request (a payment is charged) and then holds the answer
/// back until the client gives up (at most <see cref="SingapaySimulationOptions.HangDelay"/>).
/// </summary>
internal sealed class SingapayFaultFilter(SingapaySimulationOptions simulation, TimeProvider timeProvider) : IEndpointFilter
{
    public const string Header = "X-Sandbox-Fault";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var fault = Parse(http.Request.Headers[Header].ToString());

        if (fault.Latency > TimeSpan.Zero)
            await SingapayHold.UntilClientGivesUpAsync(http, fault.Latency, timeProvider);
        if (fault.Status is { } status)
            return SingapayResponses.Envelope(status, "SP002", "Internal server error (simulated by X-Sandbox-Fault).");

        var result = await next(context);
        if (fault.Timeout)
            await SingapayHold.UntilClientGivesUpAsync(http, simulation.HangDelay, timeProvider);
        return result;
    }

    private static (TimeSpan Latency, int? Status, bool Timeout) Parse(string header)
    {
        var latency = TimeSpan.Zero;
        int? status = null;
        var timeout = false;
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = part.IndexOf('=');
            var name = (at < 0 ? part : part[..at]).Trim().ToLowerInvariant();
            var value = at < 0 ? "" : part[(at + 1)..].Trim();
            switch (name)
            {
                case "latency" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms):
                    latency = TimeSpan.FromMilliseconds(ms);
                    break;
                case "status" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 400 and < 600:
                    status = code;
                    break;
                case "timeout":
                    timeout = true;
                    break;
            }
        }
        return (latency, status, timeout);
    }
}

internal static class SingapayHold
{
    /// <summary>Waits for <paramref name="delay"/>, or less if the client disconnects or the sandbox stops.</summary>
    public static async Task UntilClientGivesUpAsync(HttpContext http, TimeSpan delay, TimeProvider timeProvider)
    {
        var stopping = http.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, timeProvider, either.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the sandbox is stopping: nobody is waiting for the answer any more.
        }
    }
}
