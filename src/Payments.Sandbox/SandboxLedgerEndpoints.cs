using System.Net;
using Payments.Sandbox.Finpay;
using Payments.Sandbox.Singapay;

namespace Payments.Sandbox;

/// <summary>
/// <c>GET /sandbox/ledger/summary</c>: what a benchmark or chaos run checks after the fact, in one small answer
/// (counts only, no card data), however many charges the sandbox has seen. Loopback callers only.
/// </summary>
public static class SandboxLedgerEndpoints
{
    public const string SummaryPath = "/sandbox/ledger/summary";

    public static WebApplication MapSandboxLedgerSummary(this WebApplication app)
    {
        app.MapGet(SummaryPath, (HttpContext context, SingapayLedger singapay, FinpayLedger finpay) =>
            IsLoopback(context.Connection.RemoteIpAddress)
                ? Results.Json(Summarize(singapay, finpay))
                : Results.StatusCode(StatusCodes.Status403Forbidden));
        return app;
    }

    public static SandboxLedgerSummary Summarize(SingapayLedger singapay, FinpayLedger finpay)
    {
        var singapayEntries = singapay.Entries;
        var finpayEntries = finpay.Entries;
        return new SandboxLedgerSummary(
            new GatewayLedgerSummary(
                singapayEntries.Count,
                singapay.ReferencesRequestedMoreThanOnce,
                singapayEntries.Count(entry => entry.Charges > 1),
                CountByStatus(singapayEntries.Select(entry => entry.Status))),
            new GatewayLedgerSummary(
                finpayEntries.Count,
                finpay.OrderIdsRequestedMoreThanOnce,
                ReferencesChargedMoreThanOnce: 0,
                CountByStatus(finpayEntries.Select(entry => entry.Status))));
    }

    private static Dictionary<string, int> CountByStatus(IEnumerable<string> statuses) =>
        statuses.GroupBy(status => status, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);

    // No remote address means an in-process test server.
    private static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);
}

/// <summary>The counts of <see cref="SandboxLedgerEndpoints.SummaryPath"/>, per simulated gateway.</summary>
public sealed record SandboxLedgerSummary(GatewayLedgerSummary Singapay, GatewayLedgerSummary Finpay);

/// <summary>
/// Charges recorded; references (order ids) that a client sent in more than one valid charge request (a client that
/// never charges twice leaves 0); references charged more than once (0 unless the sandbox itself is broken); charges
/// per final or current status.
/// </summary>
public sealed record GatewayLedgerSummary(
    int Charges,
    int ReferencesRequestedMoreThanOnce,
    int ReferencesChargedMoreThanOnce,
    IReadOnlyDictionary<string, int> ByStatus);
