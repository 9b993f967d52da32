using Payments.Benchmarks.EndToEnd;

namespace Payments.Benchmarks.Chaos;

/// <summary>Options of the <c>chaos</c> mode. <c>--short</c>: about 300 charges, one kill, one broker restart.</summary>
public sealed record ChaosOptions(int Charges, double ChargesPerSecond, int Instances, bool ShortForm, TimeSpan FaultWindow, string? ProcessorPath)
{
    /// <summary>
    /// The end of the wait for outcomes when payments are left open: none completed for this long. Long enough for
    /// the longest inquiry backoff (a minute) to come round once more.
    /// </summary>
    public TimeSpan QuietLimit => ShortForm ? TimeSpan.FromSeconds(90) : TimeSpan.FromMinutes(3);

    /// <summary>
    /// An earlier end: every payment still open is flagged for reconciliation (the processor has done all it can) and
    /// none completed for this long, past the sandbox's last callback retry for charges made before.
    /// </summary>
    public static TimeSpan FlaggedQuietLimit { get; } = TimeSpan.FromSeconds(30);

    public TimeSpan OverallLimit => ShortForm ? TimeSpan.FromMinutes(4) : TimeSpan.FromMinutes(15);

    /// <summary>After the wait, for late (20 s) and duplicate callbacks and any second PaymentCompleted to arrive.</summary>
    public TimeSpan LateLimit => ShortForm ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(25);

    public const string Usage =
        "usage: Payments.Benchmarks chaos [--short] [--charges 2000] [--rate 20 (8 short)] [--instances 1] [--fault-seconds 60]\n"
        + "                                 [--processor <path to a built Payments.Processor.dll>]";

    public static ChaosOptions Parse(string[] args)
    {
        var values = OptionPairs.Parse(args);
        OptionPairs.RejectUnknown(values, "short", "charges", "rate", "instances", "fault-seconds", "processor");
        var isShort = values.ContainsKey("short");
        return new ChaosOptions(
            OptionPairs.IntOption(values, "charges", isShort ? 300 : 2000),
            // Short: 300 charges spread over the kill, the fault window and the broker restart (about 40 s), so that
            // each of them meets charges at the gateway, whatever the machine's speed.
            OptionPairs.IntOption(values, "rate", isShort ? 8 : 20),
            OptionPairs.IntOption(values, "instances", 1),
            isShort,
            TimeSpan.FromSeconds(OptionPairs.IntOption(values, "fault-seconds", isShort ? 20 : 60, allowZero: true)),
            values.GetValueOrDefault("processor"));
    }
}
