using System.Globalization;

namespace Payments.Sandbox.Singapay;

/// <summary>
/// How the callbacks of one payment misbehave, from the payment request's "X-Sandbox-Callback" header:
/// a comma-separated list of <c>drop</c> (never sent), <c>duplicate</c> (sent twice), <c>delay</c> or
/// <c>delay=ms</c> (held back before the first attempt).
/// </summary>
public sealed record SingapayCallbackFaults(bool Drop, bool Duplicate, TimeSpan? Delay)
{
    public const string Header = "X-Sandbox-Callback";
    public static readonly SingapayCallbackFaults None = new(false, false, null);

    public static SingapayCallbackFaults Parse(string? header, TimeSpan defaultDelay)
    {
        if (string.IsNullOrWhiteSpace(header))
            return None;
        var faults = None;
        foreach (var part in header.Split([',', ';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = part.IndexOf('=') is var at and >= 0 ? (part[..at].Trim(), part[(at + 1)..].Trim()) : (part, null);
            faults = name.ToLowerInvariant() switch
            {
                "drop" => faults with { Drop = true },
                "duplicate" => faults with { Duplicate = true },
                "delay" => faults with
                {
                    Delay = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : defaultDelay,
                },
                _ => faults,
            };
        }
        return faults;
    }
}
