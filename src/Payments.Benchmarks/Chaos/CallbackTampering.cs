using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Payments.Benchmarks.Chaos;

/// <summary>
/// Callbacks the processor must not believe: forged (a signature made with the wrong secret) and unsigned (no
/// X-Signature at all), each claiming the opposite of the gateway's real outcome for the payment.
/// </summary>
public sealed class CallbackTampering(Uri processor) : IDisposable
{
    private static readonly TimeSpan Jakarta = TimeSpan.FromHours(7);
    private readonly HttpClient _http = new() { BaseAddress = processor, Timeout = TimeSpan.FromSeconds(10) };

    public int Forged { get; private set; }
    public int ForgedAccepted { get; private set; }
    public int UnsignedSent { get; private set; }

    public void Dispose() => _http.Dispose();

    public async Task SendForgedAsync(string reference, string transactionId, string claimedStatus)
    {
        using var request = NewRequest(reference, transactionId, claimedStatus);
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(64)));
        using var response = await SendAsync(request);
        Forged++;
        if (response is { IsSuccessStatusCode: true })
            ForgedAccepted++;
    }

    public async Task SendUnsignedAsync(string reference, string transactionId, string claimedStatus)
    {
        using var request = NewRequest(reference, transactionId, claimedStatus);
        using var response = await SendAsync(request);
        UnsignedSent++;
    }

    private async Task<HttpResponseMessage?> SendAsync(HttpRequestMessage request)
    {
        try
        {
            return await _http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static HttpRequestMessage NewRequest(string reference, string transactionId, string claimedStatus)
    {
        var now = DateTimeOffset.UtcNow.ToOffset(Jakarta);
        var body = new JsonObject
        {
            ["status"] = 200,
            ["success"] = true,
            ["event"] = "card.payment.status",
            ["timestamp"] = now.ToString("dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture),
            ["data"] = new JsonObject
            {
                ["transaction_id"] = transactionId,
                ["reference_no"] = reference,
                ["amount"] = 150000,
                ["status"] = claimedStatus,
                ["provider_auth_no"] = "000000",
                ["card_masked"] = "411111******1111",
                ["provider_result_code"] = claimedStatus == "success" ? "0000" : "05",
                ["provider_result_message"] = claimedStatus == "success" ? "Approved" : "Do not honor",
                [claimedStatus == "success" ? "completed_at" : "failed_at"] = now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("webhooks/singapay", UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        request.Headers.Add("X-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-PARTNER-ID", "sandbox-api-key");
        request.Headers.UserAgent.ParseAdd("SingaPaymentGateway/1.0");
        return request;
    }

}
