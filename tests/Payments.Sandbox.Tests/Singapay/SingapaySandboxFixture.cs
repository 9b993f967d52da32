using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Payments.Gateways;
using Payments.Gateways.Singapay;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Sandbox.Tests.Singapay;

/// <summary>
/// The sandbox on 127.0.0.1 (a free port) with short delays, a local HTTP listener receiving its callbacks, and
/// helpers that speak Singapay's wire protocol directly.
/// </summary>
public sealed class SingapaySandboxFixture : IAsyncLifetime
{
    public const string CallbackPath = "/hooks/singapay?source=sandbox";

    private readonly ConcurrentQueue<GatewayCallbackRequest> _callbacks = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _callbackAnswers = new();
    private WebApplication _listener = null!;

    public WebApplication Sandbox { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public SandboxOptions Options => Sandbox.Services.GetRequiredService<SandboxOptions>();
    public SingapaySimulationOptions Simulation => Sandbox.Services.GetRequiredService<SingapaySimulationOptions>();
    public SingapayLedger Ledger => Sandbox.Services.GetRequiredService<SingapayLedger>();
    public string AccountId => Options.Singapay.AccountId;

    public async ValueTask InitializeAsync()
    {
        var listener = WebApplication.CreateSlimBuilder(["--Logging:LogLevel:Default=Warning"]);
        listener.WebHost.UseUrls("http://127.0.0.1:0");
        _listener = listener.Build();
        // As a Delegate, so the IResult is honoured (a method group would bind to RequestDelegate and always answer 200).
        _listener.MapPost("/hooks/singapay", (Delegate)ReceiveCallbackAsync);
        await _listener.StartAsync();

        var callbackUrl = new Uri(_listener.BoundAddress(), CallbackPath).ToString();
        Sandbox = SandboxApp.Build(["--Logging:LogLevel:Default=Warning"], options =>
        {
            options.Url = "http://127.0.0.1:0";
            options.Singapay.CallbackUrl = callbackUrl;
            // These tests follow payments by their reference_no; SingapayProtocolTests checks the strict default too.
            options.Singapay.InquiryByReference = true;
        });
        Simulation.UpstreamTimeoutDelay = TimeSpan.FromMilliseconds(100);
        Simulation.HangDelay = TimeSpan.FromSeconds(5);
        Simulation.CallbackRetryInterval = TimeSpan.FromMilliseconds(100);
        await Sandbox.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(Sandbox.BoundAddress(), "singapay/") };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.StopAsync();
        await Sandbox.DisposeAsync();
        await _listener.StopAsync();
        await _listener.DisposeAsync();
    }

    /// <summary>The HTTP statuses the listener answers to the next callbacks about this reference (200 when none are left).</summary>
    public void AnswerCallbacks(string referenceNo, params int[] statuses) =>
        _callbackAnswers[referenceNo] = new ConcurrentQueue<int>(statuses);

    /// <summary>Callbacks received for this reference, waiting up to <paramref name="timeout"/> for <paramref name="count"/> of them.</summary>
    public async Task<IReadOnlyList<GatewayCallbackRequest>> CallbacksFor(string referenceNo, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(2));
        while (true)
        {
            var received = _callbacks.Where(c => ReferenceOf(c.Body) == referenceNo).ToList();
            if (received.Count >= count || DateTime.UtcNow >= deadline)
                return received;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async Task<string> TokenAsync()
    {
        using var request = TokenRequest(SingapaySignatures.AccessTokenSignature(
            Options.Singapay.ClientId, Options.Singapay.ClientSecret, DateTimeOffset.UtcNow));
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        return body["data"]!["access_token"]!.GetValue<string>();
    }

    public HttpRequestMessage TokenRequest(string signature, string? partnerId = null, string? clientId = null, string body = """{"grant_type":"client_credentials"}""")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1.1/access-token/b2b")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-PARTNER-ID", partnerId ?? Options.Singapay.ApiKey);
        request.Headers.Add("X-CLIENT-ID", clientId ?? Options.Singapay.ClientId);
        request.Headers.Add("X-Signature", signature);
        return request;
    }

    public async Task<HttpRequestMessage> CardRequest(HttpMethod method, string path, string? body = null, string? token = null, string? partnerId = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await TokenAsync());
        request.Headers.Add("X-PARTNER-ID", partnerId ?? Options.Singapay.ApiKey);
        return request;
    }

    public async Task<Reply> SendAsync(HttpRequestMessage request, HttpClient? client = null)
    {
        using (request)
        {
            using var response = await (client ?? Http).SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return new Reply(response.StatusCode, text, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
        }
    }

    public async Task<Reply> PayAsync(JsonObject payment, Action<HttpRequestMessage>? configure = null)
    {
        var request = await CardRequest(HttpMethod.Post, $"api/v2.0/card/{AccountId}/payment", payment.ToJsonString());
        configure?.Invoke(request);
        return await SendAsync(request);
    }

    public async Task<Reply> InquireAsync(string id) =>
        await SendAsync(await CardRequest(HttpMethod.Get, $"api/v2.0/card/{AccountId}/inquiry-status/{Uri.EscapeDataString(id)}"));

    public async Task<Reply> CancelAsync(string id) =>
        await SendAsync(await CardRequest(HttpMethod.Patch, $"api/v2.0/card/{AccountId}/cancel/{Uri.EscapeDataString(id)}"));

    /// <summary>A payment that passes every rule of the seed page.</summary>
    public static JsonObject ValidPayment(string card = SingapayTestCards.Success, string? reference = null) => new()
    {
        ["amount"] = 100000,
        ["goods_name"] = "Premium Subscription",
        ["customer_name"] = "John Doe",
        ["customer_email"] = "john@example.com",
        ["customer_phone"] = "08123456789",
        ["customer_address"] = "Jl. Sudirman No. 1",
        ["customer_city"] = "Jakarta",
        ["customer_state"] = "DKI Jakarta",
        ["customer_postal_code"] = "10210",
        ["customer_country"] = "ID",
        ["reference_no"] = reference ?? NewReference(),
        ["card_number"] = card,
        ["card_expiry"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).AddYears(2).ToString("yyMM", System.Globalization.CultureInfo.InvariantCulture),
        ["card_cvv"] = "987",
        ["card_holder_name"] = "John Doe",
        ["card_holder_email"] = "john@example.com",
        ["description"] = "Monthly subscription fee",
    };

    public static string NewReference() => "ORD-" + Guid.NewGuid().ToString("N")[..20];

    private async Task<IResult> ReceiveCallbackAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var callback = new GatewayCallbackRequest(http.Request.Method, http.Request.GetEncodedPathAndQuery(), headers, buffer.ToArray());
        _callbacks.Enqueue(callback);
        var reference = ReferenceOf(callback.Body);
        var status = reference is not null && _callbackAnswers.TryGetValue(reference, out var answers) && answers.TryDequeue(out var next)
            ? next
            : (int)HttpStatusCode.OK;
        return Results.StatusCode(status);
    }

    private static string? ReferenceOf(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body)?["data"]?["reference_no"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

public sealed record Reply(HttpStatusCode Status, string Text, JsonNode? Json)
{
    public string? Code => Json?["response_code"]?.GetValue<string>();
    public string? Message => Json?["response_message"]?.GetValue<string>();
    public JsonNode? Data => Json?["data"];
}
