namespace Payments.Benchmarks.EndToEnd;

/// <summary>Percentiles of send-to-PaymentCompleted latency, in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99)
{
    public static LatencySummary Of(IEnumerable<TimeSpan> latencies)
    {
        var sorted = latencies.Select(latency => latency.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0)
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN);
        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return new LatencySummary(sorted.Length, At(0.50), At(0.95), At(0.99));
    }

    public override string ToString() => Count == 0 ? "no completions" : $"p50 {P50:F0} ms, p95 {P95:F0} ms, p99 {P99:F0} ms";
}
