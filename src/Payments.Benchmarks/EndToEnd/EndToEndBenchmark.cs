using System.Globalization;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>
/// The processor end to end on durable RabbitMQ and PostgreSQL, beside the ceilings of both measured in the same run:
/// charges/s, latency at full and half load, database work and memory per charge, and a check that every payment
/// completed exactly once and nothing was charged twice. See docs/performance.md.
/// </summary>
public static class EndToEndBenchmark
{
    public static async Task<int> RunAsync(EndToEndOptions options)
    {
        var result = await MeasureAsync(options, Console.Out);
        return result.Defects.Count == 0 ? 0 : 1;
    }

    public static async Task<EndToEndResult> MeasureAsync(EndToEndOptions options, TextWriter output)
    {
        var processorAssembly = RepositoryLayout.ProcessorAssembly(options.ProcessorPath);
        var runName = "payments-e2e-" + Guid.NewGuid().ToString("N")[..8];
        var runDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), runName)).FullName;
        var report = new EndToEndReport(output);

        await using var services = await TestServices.StartAsync(runName);
        report.Line($"end-to-end: {options.Charges} charges, {options.InFlight} in flight, {options.Instances} processor(s), "
            + $"redirect backlog {options.RedirectBacklog}; PostgreSQL {await services.PostgresDurabilityAsync()}; logs in {runDirectory}");

        var ceilingDuration = TimeSpan.FromSeconds(options.Charges <= 1000 ? 2 : 5);
        var brokerCeiling = await Ceilings.BrokerAsync(services, ceilingDuration);
        var databaseCeiling = await Ceilings.DatabaseAsync(services, ceilingDuration);
        report.Line($"  ceilings: RabbitMQ {brokerCeiling:F0} persistent {Ceilings.MessageBytes}-byte msg/s with confirms; "
            + $"PostgreSQL {databaseCeiling:F0} one-row insert tx/s ({Ceilings.DatabaseClients} clients)");

        var sandboxPort = LoopbackPort.Free();
        var sandboxAddress = new Uri($"http://127.0.0.1:{sandboxPort}/");
        var processors = Enumerable.Range(1, options.Instances)
            .Select(number => ProcessorProcess.Create(processorAssembly, services, sandboxAddress,
                Path.Combine(runDirectory, $"processor-{number}.log"), "bench-merchant-key-0123456789", "bench-ops-key-0123456789"))
            .ToList();
        try
        {
            await using var sandbox = await SandboxHost.StartAsync(sandboxPort, processors[0].Address);
            // One after the other: the first creates the schema.
            foreach (var processor in processors)
                await processor.StartAsync(TimeSpan.FromSeconds(120));
            await using var driver = await ChargeDriver.StartAsync(services);
            await using var memory = new RssSampler(processors);

            return await MeasureChargesAsync(options, report, services, sandbox, driver, memory, brokerCeiling, databaseCeiling);
        }
        finally
        {
            foreach (var processor in processors)
                await processor.DisposeAsync();
        }
    }

    private static async Task<EndToEndResult> MeasureChargesAsync(EndToEndOptions options, EndToEndReport report,
        TestServices services, SandboxHost sandbox, ChargeDriver driver, RssSampler memory, double brokerCeiling, double databaseCeiling)
    {
        var defects = new List<string>();
        var warmUp = Math.Clamp(options.Charges / 10, 20, 500);
        await driver.RunClosedLoopAsync(warmUp, Math.Min(options.InFlight, warmUp), "warm-up", _ => ChargeDriver.SuccessCard);

        if (options.RedirectBacklog > 0)
            await FillRedirectBacklogAsync(options.RedirectBacklog, report, sandbox, driver, defects);

        var before = await DatabaseCounters.ReadSettledAsync(services, TimeSpan.FromSeconds(15));
        await driver.RunClosedLoopAsync(options.Charges, options.InFlight, "full", _ => ChargeDriver.SuccessCard);
        var full = driver.Tracker.Charges.Where(charge => charge.Kind == "full").ToList();
        var (rate, fullLatency) = SteadyState(full);

        var halfRate = Math.Max(1, rate / 2);
        var halfCount = (int)Math.Clamp(halfRate * 20, Math.Min(100, options.Charges), Math.Max(100, options.Charges / 2));
        await driver.RunOpenLoopAsync(halfCount, halfRate, "half");
        var half = driver.Tracker.Charges.Where(charge => charge.Kind == "half").ToList();
        var halfLatency = LatencySummary.Of(half.Where(charge => charge.Latency is not null).Select(charge => charge.Latency!.Value));

        var work = (await DatabaseCounters.ReadSettledAsync(services, TimeSpan.FromSeconds(15))).Minus(before);
        var measured = full.Count + half.Count;

        // Late duplicates, if any, arrive before the check.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var ledger = await sandbox.LedgerSummaryAsync();
        CheckOutcomes(driver.Tracker, defects);
        CheckLedger(ledger, defects);

        report.Line($"  completed charges/s (steady state, {options.InFlight} in flight): {rate:F1}   target >= 1000");
        report.Line($"  latency at full load:  {fullLatency}");
        report.Line($"  latency at half rate ({halfRate:F1}/s open loop, {half.Count} charges): {halfLatency}   target p99 <= 100 ms");
        report.Line($"  commits per charge: {PerCharge(work.Commits, measured)}   target <= 4");
        report.Line(work.Statements is { } statements
            ? $"  statements per charge: {PerCharge(statements, measured)} (pg_stat_statements)"
            : $"  statements per charge: n/a (pg_stat_statements not loaded); rows written per charge {PerCharge(work.RowsWritten, measured)} (pg_stat_database)");
        report.Line("  broker messages per charge: n/a (the test node runs without the management plugin)");
        var readings = memory.Readings();
        for (var i = 0; i < readings.Count; i++)
            report.Line($"  processor {i + 1} RSS: start {readings[i].Start:F0} MB, peak {readings[i].Peak:F0} MB, end {readings[i].End:F0} MB   target <= 300 MB");
        report.Line($"  ratio to ceilings: {rate / brokerCeiling * 100:F1} % of RabbitMQ's msg/s, {rate / databaseCeiling * 100:F1} % of PostgreSQL's tx/s");
        report.Line($"  sandbox ledger: Singapay {ledger.Singapay.Charges} charges, {ledger.Singapay.ReferencesRequestedMoreThanOnce} references sent more than once, "
            + $"{ledger.Singapay.ReferencesChargedMoreThanOnce} charged more than once; by status {Describe(ledger.Singapay.ByStatus)}");
        report.Line(defects.Count == 0
            ? "  check: every PaymentId completed exactly once, no reference charged twice: OK"
            : "  check FAILED:\n    " + string.Join("\n    ", defects));

        var highestPeak = readings.Count == 0 ? double.NaN : readings.Max(reading => reading.Peak);
        return new EndToEndResult(rate, fullLatency, halfLatency, measured == 0 ? double.NaN : (double)work.Commits / measured,
            highestPeak, brokerCeiling, databaseCeiling, defects);
    }

    private static async Task FillRedirectBacklogAsync(int count, EndToEndReport report, SandboxHost sandbox, ChargeDriver driver, List<string> defects)
    {
        var pendingBefore = (await sandbox.LedgerSummaryAsync()).Singapay.ByStatus.GetValueOrDefault("pending");
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
                await driver.SendAsync(ChargeDriver.NewCharge(ChargeDriver.ThreeDsCard, "BR-"), "redirect");
        }));

        var lastPending = -1;
        var lastProgress = DateTime.UtcNow;
        while (true)
        {
            var pending = (await sandbox.LedgerSummaryAsync()).Singapay.ByStatus.GetValueOrDefault("pending") - pendingBefore;
            if (pending >= count)
                break;
            if (pending != lastPending)
                (lastPending, lastProgress) = (pending, DateTime.UtcNow);
            else if (DateTime.UtcNow - lastProgress > TimeSpan.FromSeconds(60))
            {
                defects.Add($"only {pending} of {count} 3-D Secure payments reached the gateway");
                break;
            }
            await Task.Delay(500);
        }
        report.Line($"  redirect backlog: {count} payments waiting for 3-D Secure");
    }

    /// <summary>Completions per second between the 10th and the 90th percentile of completion times, and their latency.</summary>
    private static (double Rate, LatencySummary Latency) SteadyState(IReadOnlyList<TrackedCharge> charges)
    {
        var completed = charges.Where(charge => charge.CompletedAt is not null).OrderBy(charge => charge.CompletedAt).ToList();
        if (completed.Count < 10)
            return (double.NaN, LatencySummary.Of(completed.Select(charge => charge.Latency!.Value)));
        var first = completed.Count / 10;
        var last = completed.Count * 9 / 10;
        var window = completed[last].CompletedAt!.Value - completed[first].CompletedAt!.Value;
        var steady = completed.Skip(first).Take(last - first + 1).ToList();
        return ((last - first) / window.TotalSeconds, LatencySummary.Of(steady.Select(charge => charge.Latency!.Value)));
    }

    private static void CheckOutcomes(CompletionTracker tracker, List<string> defects)
    {
        var expected = tracker.Charges.Where(charge => charge.Kind != "redirect").ToList();
        var missing = expected.Count(charge => charge.Completions == 0);
        var duplicated = expected.Count(charge => charge.Completions > 1);
        var failed = expected.Where(charge => charge.Completions > 0 && !charge.Succeeded).ToList();
        var redirectCompleted = tracker.Charges.Count(charge => charge.Kind == "redirect" && charge.Completions > 0);
        if (missing > 0)
            defects.Add($"{missing} of {expected.Count} payments got no PaymentCompleted");
        if (duplicated > 0)
            defects.Add($"{duplicated} payments got more than one PaymentCompleted");
        if (failed.Count > 0)
            defects.Add($"{failed.Count} success-card payments completed as failed, e.g. {failed[0].PaymentId} ({failed[0].Status}, {failed[0].FailureCode})");
        if (redirectCompleted > 0)
            defects.Add($"{redirectCompleted} payments waiting for 3-D Secure completed without it");
        if (tracker.UnknownCompletions > 0)
            defects.Add($"{tracker.UnknownCompletions} PaymentCompleted for PaymentIds never sent");
    }

    private static void CheckLedger(Payments.Sandbox.SandboxLedgerSummary ledger, List<string> defects)
    {
        if (ledger.Singapay.ReferencesRequestedMoreThanOnce > 0 || ledger.Singapay.ReferencesChargedMoreThanOnce > 0)
            defects.Add($"Singapay ledger: {ledger.Singapay.ReferencesRequestedMoreThanOnce} references sent in more than one charge, "
                + $"{ledger.Singapay.ReferencesChargedMoreThanOnce} charged more than once");
        if (ledger.Finpay.ReferencesRequestedMoreThanOnce > 0)
            defects.Add($"Finpay ledger: {ledger.Finpay.ReferencesRequestedMoreThanOnce} order ids sent in more than one charge");
    }

    private static string PerCharge(long total, int charges) =>
        charges == 0 ? "n/a" : ((double)total / charges).ToString("F1", CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlyDictionary<string, int> byStatus) =>
        byStatus.Count == 0 ? "-" : string.Join(", ", byStatus.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"));
}

/// <summary>The figures a caller (the suite's tiny run) can assert on.</summary>
public sealed record EndToEndResult(
    double ChargesPerSecond,
    LatencySummary FullLoadLatency,
    LatencySummary HalfRateLatency,
    double CommitsPerCharge,
    double PeakResidentMegabytes,
    double BrokerCeiling,
    double DatabaseCeiling,
    IReadOnlyList<string> Defects);

/// <summary>Prints as it goes, so a long run shows its ceilings before the processor's figures.</summary>
public sealed class EndToEndReport(TextWriter output)
{
    public void Line(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }
}
