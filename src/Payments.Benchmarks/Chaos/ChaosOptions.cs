using Payments.Benchmarks.EndToEnd;

namespace Payments.Benchmarks.Chaos;

/// <summary>Options of the <c>chaos</c> mode. <c>--short</c>: about 300 charges, one kill, one broker restart.</summary>
public sealed record ChaosOptions(int Charges, double ChargesPerSecond, int Instances, bool ShortForm, TimeSpan FaultWindow, string? ProcessorPath)
{
    public const string Usage =
        "usage: Payments.Benchmarks chaos [--short] [--charges 2000] [--rate 20] [--instances 1] [--fault-seconds 60]\n"
        + "                                 [--processor <path to a built Payments.Processor.dll>]";

    public static ChaosOptions Parse(string[] args)
    {
        var values = OptionPairs.Parse(args);
        OptionPairs.RejectUnknown(values, "short", "charges", "rate", "instances", "fault-seconds", "processor");
        var isShort = values.ContainsKey("short");
        return new ChaosOptions(
            OptionPairs.IntOption(values, "charges", isShort ? 300 : 2000),
            OptionPairs.IntOption(values, "rate", 20),
            OptionPairs.IntOption(values, "instances", 1),
            isShort,
            TimeSpan.FromSeconds(OptionPairs.IntOption(values, "fault-seconds", isShort ? 20 : 60, allowZero: true)),
            values.GetValueOrDefault("processor"));
    }
}
