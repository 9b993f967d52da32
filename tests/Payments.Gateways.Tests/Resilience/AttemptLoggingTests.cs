using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Payments.Gateways.Resilience;
using Xunit;

namespace Payments.Gateways.Tests.Resilience;

/// <summary>A successful attempt is not worth a log line per gateway call; a failed one still warns.</summary>
public sealed class AttemptLoggingTests
{
    [Fact]
    public async Task A_successful_attempt_logs_at_Debug_and_a_failed_one_at_Warning()
    {
        var gateway = ScriptedHandler.Sequence(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        await using var clients = GatewayClients.Create(
            new Dictionary<string, (string, HttpMessageHandler?)> { ["Finpay"] = ("Finpay", gateway) }, GatewayClients.Fast,
            configureServices: services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));

        using var response = await clients.Client("Finpay").SendAsync(RequestFactory.Get(GatewayCallKind.Inquiry), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attempts = clients.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Message.StartsWith("Execution attempt", StringComparison.Ordinal))
            .Select(r => (r.Level, Handled: r.Message.Contains("Handled: 'True'", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal([(LogLevel.Warning, true), (LogLevel.Debug, false)], attempts);
    }
}
