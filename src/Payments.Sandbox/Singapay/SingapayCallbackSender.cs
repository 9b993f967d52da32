using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Sandbox.Singapay;

/// <summary>
/// Posts signed callbacks to <see cref="SingapaySandboxOptions.CallbackUrl"/> when a payment reaches success or
/// failed, in the background, as Singapay would: Bearer token chosen per attempt, X-Timestamp, X-Signature,
/// X-PARTNER-ID, User-Agent SingaPaymentGateway/1.0. A failed delivery is retried like Singapay does
/// (after HTTP 500 once more, after 503 four more times, after anything else five more times), every
/// <see cref="SingapaySimulationOptions.CallbackRetryInterval"/>.
/// </summary>
public sealed partial class SingapayCallbackSender(
    IHttpClientFactory httpClientFactory,
    SandboxOptions sandboxOptions,
    SingapaySimulationOptions simulation,
    SingapayLedger ledger,
    TimeProvider timeProvider,
    ILogger<SingapayCallbackSender> logger)
{
    public const string HttpClientName = "Payments.Sandbox.Singapay.Callbacks";
    public const string Event = "card.payment.status";

    internal void Send(SingapayLedgerEntry payment, SingapayCallbackFaults faults)
    {
        var url = sandboxOptions.Singapay.CallbackUrl;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var target))
            return;
        if (faults.Drop)
        {
            LogDropped(logger, payment.ReferenceNo);
            return;
        }
        _ = Task.Run(() => DeliverAsync(target, payment, faults));
    }

    /// <summary>The assumed card callback body, in Singapay's webhook envelope (keys deliberately not sorted).</summary>
    internal string BodyFor(SingapayLedgerEntry payment)
    {
        var data = new JsonObject
        {
            ["transaction_id"] = payment.TransactionId,
            ["reference_no"] = payment.ReferenceNo,
            ["amount"] = payment.Amount,
            ["status"] = payment.Status,
            ["provider_auth_no"] = payment.ProviderAuthNo,
            ["card_masked"] = payment.CardMasked,
            ["provider_result_code"] = payment.ProviderResultCode,
            ["provider_result_message"] = payment.ProviderResultMessage,
        };
        if (payment.CompletedAt is { } completedAt)
            data["completed_at"] = SingapayWireFormat.DateTime(completedAt);
        if (payment.FailedAt is { } failedAt)
            data["failed_at"] = SingapayWireFormat.DateTime(failedAt);
        return new JsonObject
        {
            ["status"] = 200,
            ["success"] = true,
            ["event"] = Event,
            ["timestamp"] = SingapayWireFormat.CallbackTimestamp(timeProvider.GetUtcNow()),
            ["data"] = data,
        }.ToJsonString();
    }

    private async Task DeliverAsync(Uri target, SingapayLedgerEntry payment, SingapayCallbackFaults faults)
    {
        try
        {
            if (faults.Delay is { } delay && delay > TimeSpan.Zero)
                await Task.Delay(delay, timeProvider);
            var body = BodyFor(payment);
            await DeliverWithRetriesAsync(target, payment, body);
            if (faults.Duplicate)
                await DeliverWithRetriesAsync(target, payment, body);
        }
        catch (Exception exception)
        {
            LogCrashed(logger, exception, payment.ReferenceNo);
        }
    }

    private async Task DeliverWithRetriesAsync(Uri target, SingapayLedgerEntry payment, string body)
    {
        var retriesLeft = -1;
        while (true)
        {
            var status = await AttemptAsync(target, body);
            if (status is { } ok && (int)ok is >= 200 and < 300)
            {
                ledger.Update(payment.TransactionId, t => { t.CallbacksDelivered++; return true; }, out _);
                return;
            }
            ledger.Update(payment.TransactionId, t => { t.CallbacksFailed++; return true; }, out _);
            if (retriesLeft < 0)
                retriesLeft = status switch { HttpStatusCode.InternalServerError => 1, HttpStatusCode.ServiceUnavailable => 4, _ => 5 };
            if (retriesLeft-- == 0)
            {
                LogGivenUp(logger, payment.ReferenceNo);
                return;
            }
            await Task.Delay(simulation.CallbackRetryInterval, timeProvider);
        }
    }

    /// <summary>One signed POST; null when no HTTP answer came back.</summary>
    private async Task<HttpStatusCode?> AttemptAsync(Uri target, string body)
    {
        var settings = sandboxOptions.Singapay;
        var token = SingapayWireFormat.NewToken();
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Signature", SingapayWireFormat.CallbackSignature(settings.ClientSecret, target.PathAndQuery, token, body, timestamp));
        request.Headers.Add("X-PARTNER-ID", settings.ApiKey);
        request.Headers.TryAddWithoutValidation("User-Agent", "SingaPaymentGateway/1.0");
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            LogAttemptFailed(logger, target, exception.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Singapay sandbox: callback for {Reference} dropped (X-Sandbox-Callback)")]
    private static partial void LogDropped(ILogger logger, string reference);

    [LoggerMessage(Level = LogLevel.Error, Message = "Singapay sandbox: callback for {Reference} crashed")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Singapay sandbox: callback for {Reference} given up")]
    private static partial void LogGivenUp(ILogger logger, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Singapay sandbox: callback to {Target} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, Uri target, string error);
}
