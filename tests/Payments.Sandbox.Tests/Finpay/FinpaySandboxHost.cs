using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Sandbox.Finpay;

namespace Payments.Sandbox.Tests.Finpay;

/// <summary>The sandbox on Kestrel at 127.0.0.1 (a free port), an HttpClient for its Finpay half, and a callback receiver.</summary>
internal sealed class FinpaySandboxHost : IAsyncDisposable
{
    public const string MerchantId = "test-merchant";
    public const string MerchantKey = "test-merchant-key";

    private readonly WebApplication _sandbox;
    private readonly WebApplication _receiver;
    private readonly Channel<ReceivedCallback> _callbacks;

    private FinpaySandboxHost(WebApplication sandbox, WebApplication receiver, Channel<ReceivedCallback> callbacks)
    {
        _sandbox = sandbox;
        _receiver = receiver;
        _callbacks = callbacks;
        Http = new HttpClient { BaseAddress = sandbox.BoundAddress() };
    }

    public HttpClient Http { get; }

    public FinpayLedger Ledger => _sandbox.Services.GetRequiredService<FinpayLedger>();

    public FinpaySimulationOptions Simulation => _sandbox.Services.GetRequiredService<FinpaySimulationOptions>();

    public static async Task<FinpaySandboxHost> StartAsync(CancellationToken cancellationToken)
    {
        var callbacks = Channel.CreateUnbounded<ReceivedCallback>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.ClearProviders();
        var receiver = receiverBuilder.Build();
        var clock = Stopwatch.StartNew();
        receiver.MapPost("/callbacks/finpay", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            await callbacks.Writer.WriteAsync(new ReceivedCallback(body, clock.Elapsed));
            return Results.Ok();
        });
        await receiver.StartAsync(cancellationToken);

        var sandbox = SandboxApp.Build(["--Logging:LogLevel:Default=Warning"], options =>
        {
            options.Url = "http://127.0.0.1:0";
            options.Finpay.MerchantId = MerchantId;
            options.Finpay.MerchantKey = MerchantKey;
            options.Finpay.CallbackUrl = new Uri(receiver.BoundAddress(), "/callbacks/finpay").ToString();
        });
        var simulation = sandbox.Services.GetRequiredService<FinpaySimulationOptions>();
        simulation.HangDelay = TimeSpan.FromMilliseconds(300);
        simulation.CallbackRetryInterval = TimeSpan.FromMilliseconds(50);
        simulation.DefaultCallbackDelay = TimeSpan.FromMilliseconds(100);
        await sandbox.StartAsync(cancellationToken);
        return new FinpaySandboxHost(sandbox, receiver, callbacks);
    }

    public static AuthenticationHeaderValue Basic(string merchantId = MerchantId, string merchantKey = MerchantKey) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{merchantId}:{merchantKey}")));

    /// <summary>POSTs a charge with the right credentials unless others are given.</summary>
    public async Task<FinpayAnswer> ChargeAsync(
        JsonNode body, CancellationToken cancellationToken, AuthenticationHeaderValue? authorization = null,
        IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/finpay/pg/payment/card/payment")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = authorization ?? Basic();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.Add(name, value);
        return await SendAsync(request, cancellationToken);
    }

    public async Task<FinpayAnswer> GetAsync(string path, CancellationToken cancellationToken, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization ?? Basic();
        return await SendAsync(request, cancellationToken);
    }

    public async Task<FinpayAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new FinpayAnswer((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>The next callback, waiting at most <paramref name="within"/> (five seconds by default: only a slow machine waits that long).</summary>
    public async Task<ReceivedCallback?> NextCallbackAsync(CancellationToken cancellationToken, TimeSpan? within = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _callbacks.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _sandbox.StopAsync();
        await _sandbox.DisposeAsync();
        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }
}

internal sealed record FinpayAnswer(int HttpStatus, JsonNode? Body, HttpResponseMessage Response)
{
    public string? ResponseCode => Body?["responseCode"]?.GetValue<string>();
    public string? ResponseMessage => Body?["responseMessage"]?.GetValue<string>();
}

internal sealed record ReceivedCallback(string Body, TimeSpan ArrivedAt);

internal static class FinpayRequests
{
    /// <summary>The seed page's sample request, with the order id and token given.</summary>
    public static JsonObject Valid(string orderId, string token = FinpayTokenVault.SuccessVisa) => new()
    {
        ["customer"] = new JsonObject
        {
            ["id"] = "cust-42",
            ["email"] = "hajar@example.com",
            ["firstName"] = "Hajar",
            ["lastName"] = "Ismail",
            ["mobilePhone"] = "+6281286288844",
        },
        ["order"] = new JsonObject
        {
            ["id"] = orderId,
            ["amount"] = "1000",
            ["currency"] = "IDR",
            ["description"] = "Testing",
        },
        ["card"] = new JsonObject
        {
            ["token"] = token,
            ["storedOnFile"] = "STORED",
        },
    };

    public static JsonObject Without(this JsonObject request, string objectName, string? field = null)
    {
        if (field is null)
            request.Remove(objectName);
        else
            request[objectName]!.AsObject().Remove(field);
        return request;
    }

    public static JsonObject With(this JsonObject request, string objectName, string field, JsonNode? value)
    {
        request[objectName]![field] = value;
        return request;
    }
}
