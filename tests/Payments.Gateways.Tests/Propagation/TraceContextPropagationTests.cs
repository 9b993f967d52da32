using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Gateways.Resilience;
using Xunit;

namespace Payments.Gateways.Tests.Propagation;

public sealed class TraceContextPropagationTests : IAsyncLifetime
{
    private static readonly string[] TraceHeaders = ["traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ActivitySource _source = new($"propagation-test-{Guid.NewGuid():N}");
    private readonly ConcurrentQueue<Activity> _clientSpans = new();
    private ActivityListener? _listener;
    private HeaderCapturingServer? _server;

    private HeaderCapturingServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == _source.Name || source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { if (activity.Kind == ActivityKind.Client) _clientSpans.Enqueue(activity); },
        };
        ActivitySource.AddActivityListener(_listener);
        _server = await HeaderCapturingServer.StartAsync(Ct);
    }

    [Fact]
    public async Task A_gateway_request_carries_no_trace_context_or_baggage_yet_its_client_span_is_recorded()
    {
        await using var services = Services(client => client.WithoutTraceContextPropagation());

        await SendUnderTracedOperationAsync(services);

        var headers = Assert.Single(Server.Requests);
        Assert.All(TraceHeaders, name => Assert.False(headers.ContainsKey(name), $"{name} was sent to the gateway"));
        Assert.Contains(_clientSpans, span => span.Source.Name == "System.Net.Http");
    }

    [Fact]
    public async Task Without_the_suppression_the_same_request_would_carry_traceparent_and_baggage()
    {
        await using var services = Services(_ => { });

        await SendUnderTracedOperationAsync(services);

        var headers = Assert.Single(Server.Requests);
        Assert.True(headers.ContainsKey("traceparent"), "the control request carried no traceparent: the test proves nothing");
        Assert.True(headers.ContainsKey("baggage"), "the control request carried no baggage: the test proves nothing");
    }

    private ServiceProvider Services(Action<IHttpClientBuilder> configure)
    {
        var services = new ServiceCollection();
        var client = services.AddHttpClient("Finpay", http => http.BaseAddress = Server.BaseAddress);
        configure(client);
        client.AddGatewayResilience("Finpay");
        return services.BuildServiceProvider(validateScopes: true);
    }

    private async Task SendUnderTracedOperationAsync(ServiceProvider services)
    {
        using var operation = _source.StartActivity("charge");
        Assert.NotNull(operation);
        operation.SetBaggage("conversation.id", Guid.NewGuid().ToString());
        operation.TraceStateString = "payments=internal";
        using var request = new HttpRequestMessage(HttpMethod.Get, "status/1").SetGatewayCallKind(GatewayCallKind.Inquiry);

        using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient("Finpay").SendAsync(request, Ct);

        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        _source.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
