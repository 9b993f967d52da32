using Polly.CircuitBreaker;

namespace Payments.Gateways.Resilience;

/// <summary>
/// Sits just outside the gateway's resilience handler and turns "certainly not sent" (open circuit, refused
/// connection) into <see cref="GatewayUnavailableException"/>, which the payment saga relies on. Every other failure
/// passes unchanged: a timeout as Polly's <c>TimeoutRejectedException</c>, others as <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class GatewayUnavailableTranslation(string gateway) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Translate(exception) is { } unavailable)
        {
            throw unavailable;
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return base.Send(request, cancellationToken);
        }
        catch (Exception exception) when (Translate(exception) is { } unavailable)
        {
            throw unavailable;
        }
    }

    private GatewayUnavailableException? Translate(Exception exception) => exception switch
    {
        BrokenCircuitException => new GatewayUnavailableException(gateway, "circuit open after repeated failures; the request was not sent", exception),
        HttpRequestException when TransientFailure.IsConnectionRefused(exception) =>
            new GatewayUnavailableException(gateway, "connection refused; the request was not sent", exception),
        _ => null,
    };
}
