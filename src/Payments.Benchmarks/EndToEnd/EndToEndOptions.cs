using System.Globalization;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>Options of the <c>end-to-end</c> mode; every one has a default, see <see cref="Usage"/>.</summary>
public sealed record EndToEndOptions(
    int Charges,
    int InFlight,
    int Instances,
    int RedirectBacklog,
    string? ProcessorPath)
{
    public const string Usage =
        "usage: Payments.Benchmarks end-to-end [--charges 20000] [--in-flight 500] [--instances 1] [--redirect-backlog 0]\n"
        + "                                      [--processor <path to a built Payments.Processor.dll>]";

    public static EndToEndOptions Parse(string[] args)
    {
        var values = OptionPairs.Parse(args);
        var options = new EndToEndOptions(
            OptionPairs.IntOption(values, "charges", 20000),
            OptionPairs.IntOption(values, "in-flight", 500),
            OptionPairs.IntOption(values, "instances", 1),
            OptionPairs.IntOption(values, "redirect-backlog", 0, allowZero: true),
            values.GetValueOrDefault("processor"));
        OptionPairs.RejectUnknown(values, "charges", "in-flight", "instances", "redirect-backlog", "processor");
        return options;
    }
}

/// <summary><c>--name value</c> pairs, as every mode takes them.</summary>
public static class OptionPairs
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected '--option value' pairs, got '{string.Join(' ', args)}'");
            var isFlag = i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            values[args[i][2..]] = isFlag ? "true" : args[++i];
        }
        return values;
    }

    public static int IntOption(Dictionary<string, string> values, string name, int defaultValue, bool allowZero = false)
    {
        if (!values.TryGetValue(name, out var text))
            return defaultValue;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && (value > 0 || (allowZero && value == 0))
            ? value
            : throw new ArgumentException($"--{name} must be a {(allowZero ? "non-negative" : "positive")} whole number, got '{text}'");
    }

    public static void RejectUnknown(Dictionary<string, string> values, params string[] known)
    {
        var unknown = values.Keys.Where(key => !known.Contains(key, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(key => "--" + key))}");
    }
}
