using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Contracts;
using Payments.Gateways.Finpay;
using Payments.Gateways.Resilience;
using Payments.Gateways.Singapay;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Observability.Support;
using Xunit;

namespace Payments.Processor.Tests.Observability;

/// <summary>
/// With the processor's OpenTelemetry on (whose HttpClient instrumentation could write headers itself), the gateways'
/// HttpClients still send no trace context to the gateway, and we still record a client span for each call.
/// </summary>
public sealed class GatewayTraceContextTests : IAsyncLifetime
{
    private static readonly string[] TraceHeaders = ["traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context"];

    private readonly ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers)> _received = new();
    private WebApplication? _gateway;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _gateway = builder.Build();
        _gateway.Run(context =>
        {
            _received.Enqueue((context.Request.Path.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return context.Response.WriteAsync("{}", context.RequestAborted);
        });
        await _gateway.StartAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(PaymentGateways.Singapay, GatewayCallKind.Token)]
    [InlineData(PaymentGateways.Singapay, GatewayCallKind.Charge)]
    [InlineData(PaymentGateways.Finpay, GatewayCallKind.Inquiry)]
    public async Task A_gateway_request_carries_no_trace_context_and_still_has_a_client_span(string gateway, GatewayCallKind kind)
    {
        var exported = new List<Activity>();
        var baseUrl = _gateway!.Urls.First();
        await using var services = TracedServices.Create(exported, new Dictionary<string, string?>
        {
            ["Gateways:Singapay:BaseUrl"] = $"{baseUrl}/singapay",
            ["Gateways:Finpay:BaseUrl"] = $"{baseUrl}/finpay",
        }, (collection, configuration) => collection.AddSingapayGateway(configuration).AddFinpayGateway(configuration));
        var marker = Guid.NewGuid().ToString("N");
        var path = $"{marker}/{kind}";

        using (var operation = PaymentsTelemetry.Source.StartActivity("charge"))
        {
            Assert.NotNull(operation);
            operation.SetBaggage("conversation.id", marker);
            operation.TraceStateString = "payments=internal";
            using var request = new HttpRequestMessage(HttpMethod.Post, path).SetGatewayCallKind(kind);
            using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient(gateway)
                .SendAsync(request, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }

        var (_, headers) = Assert.Single(_received, r => r.Path.EndsWith(path, StringComparison.Ordinal));
        Assert.All(TraceHeaders, name => Assert.False(headers.ContainsKey(name), $"{name} was sent to {gateway}"));
        Assert.Contains(exported.ToArray(), span => span.Kind == ActivityKind.Client && span.Source.Name == "System.Net.Http"
            && span.GetTagItem("url.full") is string url && url.EndsWith(path, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
            await _gateway.DisposeAsync();
    }
}
