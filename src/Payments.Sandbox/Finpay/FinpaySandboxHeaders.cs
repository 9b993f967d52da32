using System.Globalization;

namespace Payments.Sandbox.Finpay;

/// <summary>
/// How the callbacks of one charge misbehave, from the charge request's "X-Sandbox-Callback" header: a comma-separated
/// list of <c>drop</c> (never sent), <c>duplicate</c> (sent twice), <c>delay</c> or <c>delay=ms</c> (held back first).
/// </summary>
public sealed record FinpayCallbackFaults(bool Drop, bool Duplicate, TimeSpan? Delay)
{
    public const string Header = "X-Sandbox-Callback";
    public static readonly FinpayCallbackFaults None = new(false, false, null);

    public static FinpayCallbackFaults Parse(string? header, TimeSpan defaultDelay)
    {
        var faults = None;
        foreach (var (name, value) in SandboxHeader.Parts(header))
        {
            faults = name switch
            {
                "drop" => faults with { Drop = true },
                "duplicate" => faults with { Duplicate = true },
                "delay" => faults with { Delay = SandboxHeader.Milliseconds(value) ?? defaultDelay },
                _ => faults,
            };
        }
        return faults;
    }
}

/// <summary>
/// How one request to the simulated Finpay API misbehaves, from its "X-Sandbox-Fault" header (the same semantics as the
/// Singapay half): a comma-separated list of <c>latency=ms</c> (answer late, otherwise normally), <c>status=500</c>,
/// <c>status=503</c> or any other 4xx/5xx (fail in front of Finpay with that status: nothing is processed or recorded),
/// <c>timeout</c> (processed and recorded, but the answer is held back until the client gives up, at most
/// <see cref="FinpaySimulationOptions.HangDelay"/>).
/// </summary>
public sealed record FinpayRequestFaults(TimeSpan? Latency, int? Status, bool Timeout)
{
    public const string Header = "X-Sandbox-Fault";
    public static readonly FinpayRequestFaults None = new(null, null, false);

    public static FinpayRequestFaults Parse(string? header)
    {
        var faults = None;
        foreach (var (name, value) in SandboxHeader.Parts(header))
        {
            faults = name switch
            {
                "latency" => faults with { Latency = SandboxHeader.Milliseconds(value) },
                "status" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                              && status is >= 400 and < 600 => faults with { Status = status },
                "timeout" => faults with { Timeout = true },
                _ => faults,
            };
        }
        return faults;
    }
}

internal static class SandboxHeader
{
    /// <summary>"a, b=1; c" → (a, null), (b, "1"), (c, null); names lower-cased.</summary>
    public static IEnumerable<(string Name, string? Value)> Parts(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
            yield break;
        foreach (var part in header.Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = part.IndexOf('=');
            yield return at < 0
                ? (part.ToLowerInvariant(), null)
                : (part[..at].Trim().ToLowerInvariant(), part[(at + 1)..].Trim());
        }
    }

    public static TimeSpan? Milliseconds(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
}
