using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Benchmarks.EndToEnd;
using Payments.Sandbox.Singapay;

namespace Payments.Benchmarks.Chaos;

/// <summary>
/// Charges of every kind through kills, restarts, gateway faults and bad callbacks, on real RabbitMQ and PostgreSQL;
/// then counts what went wrong: outcomes lost or published twice, charges made twice or reported Failed although
/// made, card data at rest. Exits 1 on any of them. See docs/performance.md.
/// </summary>
public static class ChaosRun
{
    private const string MerchantKey = "chaos-merchant-key";
    private static readonly TimeSpan SendPatience = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(ChaosOptions options)
    {
        var processorAssembly = RepositoryLayout.ProcessorAssembly(options.ProcessorPath);
        var runName = "payments-chaos-" + Guid.NewGuid().ToString("N")[..8];
        var runDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), runName)).FullName;
        var report = new EndToEndReport(Console.Out);

        // Services of our own: this run restarts them.
        await using var services = await TestServices.StartAsync(runName, reuseExported: false);
        report.Line($"chaos: {options.Charges} charges at {options.ChargesPerSecond}/s, {options.Instances} processor(s), "
            + $"{(options.ShortForm ? "short form" : "full form")}, gateway faults for {options.FaultWindow.TotalSeconds:F0} s; logs in {runDirectory}");

        var faults = new GatewayFaults();
        var sandboxPort = LoopbackPort.Free();
        var sandboxAddress = new Uri($"http://127.0.0.1:{sandboxPort}/");
        var processors = Enumerable.Range(1, options.Instances)
            .Select(number => ProcessorProcess.Create(processorAssembly, services, sandboxAddress,
                Path.Combine(runDirectory, $"processor-{number}.log"), MerchantKey, "chaos-ops-key-0123456789"))
            .ToList();
        try
        {
            await using var sandbox = await SandboxHost.StartAsync(sandboxPort, processors[0].Address, faults.AddTo);
            foreach (var processor in processors)
                await processor.StartAsync(TimeSpan.FromSeconds(120));
            await using var driver = await ChargeDriver.StartAsync(services);

            var defects = await RunChargesAsync(options, report, services, sandbox, driver, faults, processors);
            foreach (var processor in processors)
                await processor.StopAsync();

            var cardHits = await CardDataScan.ScanAsync(services, processors.Select(processor => processor.LogPath));
            foreach (var hits in cardHits)
            {
                report.Line($"  card data in {hits.Where}: {hits.CardNumbers} card numbers, {hits.Cvvs} CVVs"
                    + (hits.Example is null ? "" : $" (e.g. {hits.Example})"));
                if (hits.CardNumbers + hits.Cvvs > 0)
                    defects.Add($"card data at rest in {hits.Where}");
            }

            report.Line(defects.Count == 0 ? "chaos: no defect" : "chaos: DEFECTS\n    " + string.Join("\n    ", defects));
            return defects.Count == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var processor in processors)
                await processor.DisposeAsync();
        }
    }

    private static async Task<List<string>> RunChargesAsync(ChaosOptions options, EndToEndReport report, TestServices services,
        SandboxHost sandbox, ChargeDriver driver, GatewayFaults faults, List<ProcessorProcess> processors)
    {
        var ledger = sandbox.Services.GetRequiredService<SingapayLedger>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var tampering = new CallbackTampering(processors[0].Address);
        var events = Disruptions(options, services, faults, processors, report);
        using var stopBackground = new CancellationTokenSource();
        var confirmer = ConfirmThreeDsAsync(driver.Tracker, ledger, http, sandbox.Address, stopBackground.Token);
        var tamperer = TamperWithCallbacksAsync(driver.Tracker, ledger, tampering, stopBackground.Token);
        var sent = 0;
        // One after the other, each once its share of charges is sent: a fault window while the only processor is
        // still restarting would test nothing.
        var disruptions = Task.Run(async () =>
        {
            foreach (var disruption in events)
            {
                while (Volatile.Read(ref sent) < disruption.AtCharge)
                    await Task.Delay(TimeSpan.FromMilliseconds(100));
                await disruption.Run();
            }
        });

        var start = driver.Tracker.Now;
        for (var number = 0; number < options.Charges; number++)
        {
            var due = start + TimeSpan.FromSeconds(number / options.ChargesPerSecond);
            if (due - driver.Tracker.Now is { } wait && wait > TimeSpan.Zero)
                await Task.Delay(wait);
            var (card, kind) = CardFor(number);
            await driver.SendUntilAcceptedAsync(ChargeDriver.NewCharge(card, "CH-"), kind, SendPatience);
            Interlocked.Increment(ref sent);
        }
        report.Line($"  sent {options.Charges} in {(driver.Tracker.Now - start).TotalSeconds:F0} s");
        await disruptions;
        report.Line("  disruptions over; waiting for outcomes");

        // Hanging charges time out after 30 s and are then settled by callbacks or inquiries (backoff up to a minute).
        var waitStarted = driver.Tracker.Now;
        var waitEnd = await WaitForOutcomesAsync(options, driver.Tracker, http, processors[0].Address);
        report.Line($"  waited {(driver.Tracker.Now - waitStarted).TotalSeconds:F0} s for outcomes: {waitEnd}");
        await stopBackground.CancelAsync();
        await Task.WhenAll(confirmer.ContinueWith(_ => { }, TaskScheduler.Default), tamperer.ContinueWith(_ => { }, TaskScheduler.Default));
        // Late callbacks (20 s) and duplicates, if any, arrive before counting.
        await Task.Delay(options.LateLimit);

        return await CountDefectsAsync(report, sandbox, driver, ledger, http, processors[0].Address, faults, tampering);
    }

    /// <summary>
    /// Until every payment has its PaymentCompleted; or every one still open is flagged for reconciliation and none
    /// completed for <see cref="ChaosOptions.FlaggedQuietLimit"/>; or none completed for <see cref="ChaosOptions.QuietLimit"/>.
    /// </summary>
    private static async Task<string> WaitForOutcomesAsync(ChaosOptions options, CompletionTracker tracker, HttpClient http, Uri processor)
    {
        var started = tracker.Now;
        var lastProgress = tracker.Now;
        var lastCount = -1;
        while (tracker.Now - started < options.OverallLimit)
        {
            var open = tracker.Charges.Where(charge => charge.CompletedAt is null).ToList();
            if (open.Count == 0)
                return "every payment completed";
            var done = tracker.Charges.Count - open.Count;
            if (done != lastCount)
                (lastCount, lastProgress) = (done, tracker.Now);
            var quiet = tracker.Now - lastProgress;
            if (quiet > options.QuietLimit)
                return $"{open.Count} open, none completed for {options.QuietLimit.TotalSeconds:F0} s";
            if (quiet > ChaosOptions.FlaggedQuietLimit && await AllFlaggedAsync(http, processor, open))
                return $"{open.Count} open, every one flagged for reconciliation, none completed for {ChaosOptions.FlaggedQuietLimit.TotalSeconds:F0} s";
            await Task.Delay(quiet > ChaosOptions.FlaggedQuietLimit ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500));
        }
        return $"the {options.OverallLimit.TotalMinutes:F0}-minute limit";
    }

    private static async Task<bool> AllFlaggedAsync(HttpClient http, Uri processor, List<TrackedCharge> open)
    {
        foreach (var charge in open)
        {
            if ((await PaymentAsync(http, processor, charge.PaymentId)) is not { NeedsReconciliation: true })
                return false;
        }
        return true;
    }

    private static (string Card, string Kind) CardFor(int number) => (number % 20) switch
    {
        < 10 => (ChaosCards.Success, "success"),
        < 13 => (ChaosCards.ThreeDs, "3ds"),
        < 16 => (ChaosCards.Declined, "declined"),
        < 18 => (ChaosCards.UpstreamTimeout, "sp005"),
        _ => (ChaosCards.Hang, "hang"),
    };

    private sealed record Disruption(int AtCharge, Func<Task> Run);

    private static List<Disruption> Disruptions(ChaosOptions options, TestServices services, GatewayFaults faults,
        List<ProcessorProcess> processors, EndToEndReport report)
    {
        int At(double fraction) => (int)(options.Charges * fraction);
        var victim = processors[0];
        async Task Kill(int number)
        {
            report.Line($"  kill {number}: SIGKILL processor 1 (pid {victim.ProcessId}), restart in 3 s");
            await victim.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await victim.StartAsync(TimeSpan.FromSeconds(180));
        }
        async Task BrokerRestart()
        {
            report.Line("  RabbitMQ restart (stop_app, start_app)");
            await ServiceRestarts.RestartBrokerAsync(services);
        }
        async Task DatabaseRestart()
        {
            report.Line("  PostgreSQL restart (pg_ctl restart -m fast)");
            await ServiceRestarts.RestartDatabaseAsync(services);
        }
        async Task FaultWindow()
        {
            if (options.FaultWindow <= TimeSpan.Zero)
                return;
            report.Line($"  gateway faults on for {options.FaultWindow.TotalSeconds:F0} s: 40 % 503, 20 % hang");
            faults.OpenWindow();
            await Task.Delay(options.FaultWindow);
            faults.CloseWindow();
            report.Line("  gateway faults off");
        }

        return options.ShortForm
            ?
            [
                new(At(0.3), () => Kill(1)),
                new(At(0.45), FaultWindow),
                new(At(0.6), BrokerRestart),
            ]
            :
            [
                new(At(0.2), () => Kill(1)),
                new(At(0.35), BrokerRestart),
                new(At(0.5), DatabaseRestart),
                new(At(0.6), FaultWindow),
                new(At(0.8), () => Kill(2)),
            ];
    }

    /// <summary>The customer passes 3-D Secure on the sandbox's page for every payment waiting there.</summary>
    private static async Task ConfirmThreeDsAsync(CompletionTracker tracker, SingapayLedger ledger, HttpClient http, Uri sandbox, CancellationToken stop)
    {
        var confirmed = new HashSet<string>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            foreach (var charge in tracker.Charges.Where(charge => charge.Kind == "3ds" && !confirmed.Contains(charge.Reference)))
            {
                if (ledger.FindByReference(charge.Reference) is not { Status: "pending" } entry)
                    continue;
                using var form = new FormUrlEncodedContent([new("action", "confirm"), new("otp", "123456")]);
                try
                {
                    using var response = await http.PostAsync(new Uri(sandbox, $"singapay/3ds/{entry.TransactionId}"), form, stop);
                    if ((int)response.StatusCode < 400)
                        confirmed.Add(charge.Reference);
                }
                catch (HttpRequestException)
                {
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(1), stop);
        }
    }

    /// <summary>
    /// While hanging and SP005 charges wait for their answer (charged, outcome not yet known to the processor), sends
    /// forged and unsigned callbacks claiming they failed: believing either would report a charged payment as Failed.
    /// </summary>
    private static async Task TamperWithCallbacksAsync(CompletionTracker tracker, SingapayLedger ledger, CallbackTampering tampering, CancellationToken stop)
    {
        var done = new HashSet<Guid>();
        while (!stop.IsCancellationRequested)
        {
            var targets = tracker.Charges
                .Where(charge => charge.Kind is "hang" or "sp005" && charge.CompletedAt is null && !done.Contains(charge.PaymentId))
                .ToList();
            foreach (var charge in targets)
            {
                if (ledger.FindByReference(charge.Reference) is not { } entry)
                    continue;
                done.Add(charge.PaymentId);
                if (charge.Kind == "hang")
                    await tampering.SendForgedAsync(charge.Reference, entry.TransactionId, "failed");
                else
                    await tampering.SendUnsignedAsync(charge.Reference, entry.TransactionId, "failed");
            }
            await Task.Delay(TimeSpan.FromSeconds(2), stop);
        }
    }

    private static async Task<List<string>> CountDefectsAsync(EndToEndReport report, SandboxHost sandbox, ChargeDriver driver,
        SingapayLedger ledger, HttpClient http, Uri processor, GatewayFaults faults, CallbackTampering tampering)
    {
        var defects = new List<string>();
        var charges = driver.Tracker.Charges;
        var final = charges.Count(charge => charge.Completions > 0);
        var stuck = charges.Where(charge => charge.Completions == 0).ToList();
        var duplicates = charges.Count(charge => charge.Completions > 1);

        var lost = 0;
        var unflagged = 0;
        var stuckStates = new Dictionary<string, int>(StringComparer.Ordinal);
        var whyOpen = new Dictionary<string, List<TrackedCharge>>(StringComparer.Ordinal);
        foreach (var charge in stuck)
        {
            var view = await PaymentAsync(http, processor, charge.PaymentId);
            stuckStates[view.Describe] = stuckStates.GetValueOrDefault(view.Describe) + 1;
            if (!view.Known)
                lost++;
            else if (!view.NeedsReconciliation)
                unflagged++;
            var why = WhyOpen(view, ledger.FindByReference(charge.Reference));
            whyOpen[why] = [.. whyOpen.GetValueOrDefault(why) ?? [], charge];
        }

        var chargedButFailed = new List<TrackedCharge>();
        var succeededUncharged = new List<TrackedCharge>();
        foreach (var charge in charges.Where(charge => charge.Completions > 0))
        {
            var status = ledger.FindByReference(charge.Reference)?.Status;
            var charged = status is "success" or "processing";
            if (!charge.Succeeded && charged)
                chargedButFailed.Add(charge);
            if (charge.Succeeded && !charged)
                succeededUncharged.Add(charge);
        }

        var summary = await sandbox.LedgerSummaryAsync();
        // Singapay answers a resent reference with SP004, so a resend is not a charge; Finpay has no such guard.
        var doubleCharges = summary.Singapay.ReferencesChargedMoreThanOnce + summary.Finpay.ReferencesRequestedMoreThanOnce;
        var guardedResends = summary.Singapay.ReferencesRequestedMoreThanOnce;

        report.Line($"  sent {charges.Count}, final {final}, stuck {stuck.Count}"
            + (stuck.Count == 0 ? "" : $" ({string.Join(", ", stuckStates.Select(pair => $"{pair.Value} {pair.Key}"))})"));
        report.Line($"  by kind: {string.Join(", ", charges.GroupBy(charge => charge.Kind).OrderBy(group => group.Key, StringComparer.Ordinal).Select(group => $"{group.Key} {group.Count()} ({group.Count(charge => charge.Succeeded)} succeeded, {group.Count(charge => charge.Completions > 0 && !charge.Succeeded)} failed)"))}");
        var redelivered = charges.Count(charge => charge.Deliveries > charge.Completions);
        report.Line($"  lost outcomes {lost}, duplicate PaymentCompleted {duplicates}, PaymentCompleted for unknown ids {driver.Tracker.UnknownCompletions}; "
            + $"the same PaymentCompleted delivered to the run again (one message, one MessageId) {redelivered}");
        report.Line($"  double charges {doubleCharges}, charged but Failed {chargedButFailed.Count}, Succeeded but not charged {succeededUncharged.Count}, "
            + $"neither final nor flagged for reconciliation {unflagged}; Singapay references resent and answered SP004 {guardedResends}");
        foreach (var (why, open) in whyOpen.OrderByDescending(pair => pair.Value.Count))
            report.Line($"  open: {open.Count} ({string.Join(", ", open.GroupBy(charge => charge.Kind).Select(group => $"{group.Count()} {group.Key}"))}) {why}");
        foreach (var charge in chargedButFailed.Concat(succeededUncharged).Concat(stuck).Take(10))
            report.Line($"    e.g. {charge.Kind} {charge.PaymentId} {charge.Reference}: {charge.Status ?? "no PaymentCompleted"} {charge.FailureCode}, "
                + $"ledger {ledger.FindByReference(charge.Reference)?.Status ?? "no charge"}");
        report.Line($"  gateway faults injected: {faults.Injected5xx} x 503, {faults.InjectedHangs} hangs; callbacks: {faults.DuplicateCallbacks} duplicated, "
            + $"{faults.LateCallbacks} late, {tampering.Forged} forged ({tampering.ForgedAccepted} accepted), {tampering.UnsignedSent} unsigned");

        void Defect(int count, string what)
        {
            if (count > 0)
                defects.Add($"{count} {what}");
        }
        Defect(lost, "lost outcomes (the processor does not know the payment and never completed it)");
        Defect(duplicates, "payments with more than one PaymentCompleted");
        Defect((int)driver.Tracker.UnknownCompletions, "PaymentCompleted for PaymentIds never sent");
        Defect(doubleCharges, "references charged more than once (or sent more than once to Finpay, which has no duplicate guard)");
        Defect(unflagged, "payments left unfinished without a reconciliation flag after every retry and inquiry had its time");
        Defect(chargedButFailed.Count, "payments charged at the gateway but completed as Failed");
        Defect(succeededUncharged.Count, "payments completed as Succeeded that the gateway did not charge");
        Defect(tampering.ForgedAccepted, "forged callbacks accepted");
        return defects;
    }

    /// <summary>A payment as GET /payments/{id} shows it, or why it could not be shown.</summary>
    private sealed record ProcessorView(string State, bool Known, bool NeedsReconciliation, string? GatewayCode, string? LastNote)
    {
        public string Describe => "in " + State + (NeedsReconciliation ? ", flagged for reconciliation" : "");
    }

    private static async Task<ProcessorView> PaymentAsync(HttpClient http, Uri processor, Guid paymentId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(processor, $"payments/{paymentId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MerchantKey);
        try
        {
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return new ProcessorView("unknown to the processor", false, false, null, null);
            if (!response.IsSuccessStatusCode)
                return new ProcessorView($"HTTP {(int)response.StatusCode}", true, false, null, null);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            var transitions = body?["transitions"]?.AsArray();
            var lastNote = transitions?.LastOrDefault(t => t?["detail"] is not null)?["detail"]?.GetValue<string>();
            return new ProcessorView(body?["status"]?.GetValue<string>() ?? "?", true,
                body?["needsReconciliation"]?.GetValue<bool>() == true, body?["gatewayCode"]?.GetValue<string>(), lastNote);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new ProcessorView("processor not answering", true, false, null, null);
        }
    }

    /// <summary>
    /// Why a payment is still open, from both sides: what the processor last learnt, and what the gateway did with the
    /// charge and its callbacks. A charge whose callbacks were all refused while the processor was down or cut off from
    /// the broker, and whose transaction id the processor never learnt, can be settled only by ops.
    /// </summary>
    private static string WhyOpen(ProcessorView view, SingapayLedgerEntry? entry)
    {
        var gateway = entry is null
            ? "the sandbox holds no charge for it"
            : $"the sandbox charge is {entry.Status}, {entry.CallbacksDelivered} callbacks delivered, {entry.CallbacksFailed} refused or unanswered";
        var verdict = (view.Known, view.NeedsReconciliation, entry) switch
        {
            (false, _, _) => "lost: a defect",
            (_, false, _) => "not flagged: a defect",
            (_, true, null) => "no charge was made: the processor cannot prove it, so only ops can settle it",
            (_, true, { CallbacksDelivered: 0 }) =>
                "the processor never learnt its transaction id and every callback was lost: only ops can settle it",
            (_, true, _) => "a callback was delivered, yet it is open: see its audit trail",
        };
        return $"{view.Describe} (last note: {view.LastNote ?? "none"}); {gateway}; {verdict}";
    }
}
