using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Payments.Gateways;

public static class ThirdPartyHttpClientBuilderExtensions
{
    /// <summary>
    /// Sends this client's requests without <c>traceparent</c>, <c>tracestate</c> or <c>baggage</c> headers: our trace
    /// ids and baggage (e.g. the conversation id) must not leak to a third party. The client span is still recorded;
    /// only what .NET's DiagnosticsHandler would write into the request is suppressed, in the primary handler.
    /// </summary>
    public static IHttpClientBuilder WithoutTraceContextPropagation(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
            // The factory recycles handlers too, but a pooled connection should also follow DNS changes of the gateway.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
}
