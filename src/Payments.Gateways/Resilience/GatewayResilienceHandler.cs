using Polly;
using Polly.CircuitBreaker;

namespace Payments.Gateways.Resilience;

/// <summary>
/// Runs every request of a gateway's HttpClient through the gateway's shared pipeline, and turns "certainly not sent"
/// (open circuit, refused connection) into <see cref="GatewayUnavailableException"/>. A timeout surfaces as Polly's
/// <c>TimeoutRejectedException</c>; other failures as the usual <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class GatewayResilienceHandler(string gateway, GatewayResiliencePipelines pipelines) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.For(gateway);
        var context = ResilienceContextPool.Shared.Get(gateway, cancellationToken);
        context.Properties.Set(GatewayResiliencePipelines.CallKindKey, request.GetGatewayCallKind());
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<HttpResponseMessage>(state.Handler.SendOnceAsync(state.Request, ctx.CancellationToken)),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        catch (BrokenCircuitException exception)
        {
            throw new GatewayUnavailableException(gateway, "circuit open after repeated failures; the request was not sent", exception);
        }
        catch (HttpRequestException exception) when (TransientFailure.IsConnectionRefused(exception))
        {
            throw new GatewayUnavailableException(gateway, "connection refused; the request was not sent", exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // The synchronous path would bypass the pipeline; gateway adapters are async only.
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{gateway} gateway calls must use SendAsync so that resilience applies.");

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
