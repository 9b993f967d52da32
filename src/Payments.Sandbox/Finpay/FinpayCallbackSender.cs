using System.Text;

namespace Payments.Sandbox.Finpay;

/// <summary>
/// Posts signed callbacks to <see cref="FinpaySandboxOptions.CallbackUrl"/> when a charge completes (paid or failed), in
/// the background. A delivery that gets no 2xx is tried again, up to <see cref="FinpaySimulationOptions.CallbackAttempts"/>
/// attempts, every <see cref="FinpaySimulationOptions.CallbackRetryInterval"/>. None are sent when no URL is configured.
/// </summary>
public sealed partial class FinpayCallbackSender(
    IHttpClientFactory httpClientFactory,
    SandboxOptions sandboxOptions,
    FinpaySimulationOptions simulation,
    FinpayLedger ledger,
    TimeProvider timeProvider,
    ILogger<FinpayCallbackSender> logger)
{
    public const string HttpClientName = "Payments.Sandbox.Finpay.Callbacks";

    internal void Send(FinpayLedgerEntry entry, FinpayCallbackFaults faults)
    {
        var url = sandboxOptions.Finpay.CallbackUrl;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var target))
            return;
        if (faults.Drop)
        {
            LogDropped(logger, entry.OrderId);
            return;
        }
        _ = Task.Run(() => DeliverAsync(target, entry, faults));
    }

    private async Task DeliverAsync(Uri target, FinpayLedgerEntry entry, FinpayCallbackFaults faults)
    {
        try
        {
            if (faults.Delay is { } delay && delay > TimeSpan.Zero)
                await Task.Delay(delay, timeProvider);
            var body = FinpayWireFormat.SignedCallback(entry, sandboxOptions.Finpay.MerchantKey);
            await DeliverWithRetriesAsync(target, entry.OrderId, body);
            if (faults.Duplicate)
                await DeliverWithRetriesAsync(target, entry.OrderId, body);
        }
        catch (Exception exception)
        {
            LogCrashed(logger, exception, entry.OrderId);
        }
    }

    private async Task DeliverWithRetriesAsync(Uri target, string orderId, string body)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delivered = await AttemptAsync(target, body);
            ledger.RecordCallback(orderId, delivered);
            if (delivered)
                return;
            if (attempt >= simulation.CallbackAttempts)
            {
                LogGivenUp(logger, orderId, attempt);
                return;
            }
            await Task.Delay(simulation.CallbackRetryInterval, timeProvider);
        }
    }

    private async Task<bool> AttemptAsync(Uri target, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            LogAttemptFailed(logger, target, exception.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Finpay sandbox: callback for {OrderId} dropped (X-Sandbox-Callback)")]
    private static partial void LogDropped(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Finpay sandbox: callback for {OrderId} crashed")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finpay sandbox: callback for {OrderId} given up after {Attempts} attempts")]
    private static partial void LogGivenUp(ILogger logger, string orderId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finpay sandbox: callback to {Target} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, Uri target, string error);
}
