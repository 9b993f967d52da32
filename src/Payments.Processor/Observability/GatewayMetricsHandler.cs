using Payments.Gateways;
using Payments.Gateways.Resilience;
using Polly.Timeout;

namespace Payments.Processor.Observability;

/// <summary>
/// Times every call of a gateway's HttpClient and records its outcome (<see cref="GatewayCallOutcomes"/>), tagged by
/// gateway and by the call's kind (charge, inquiry, cancel, token) as the adapter marked it.
/// Placed outermost, so a call's duration includes its retries and an open circuit counts as "unavailable".
/// </summary>
public sealed class GatewayMetricsHandler(string gateway, PaymentsMetrics metrics, TimeProvider clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = request.GetGatewayCallKind().ToString().ToLowerInvariant();
        var started = clock.GetTimestamp();
        var outcome = GatewayCallOutcomes.Error;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            outcome = OutcomeOf((int)response.StatusCode);
            return response;
        }
        catch (Exception exception)
        {
            outcome = OutcomeOf(exception, cancellationToken);
            throw;
        }
        finally
        {
            metrics.GatewayCall(gateway, operation, outcome, clock.GetElapsedTime(started));
        }
    }

    private static string OutcomeOf(int status) => status switch
    {
        < 400 => GatewayCallOutcomes.Success,
        408 or 429 or >= 500 => GatewayCallOutcomes.ServerError,
        _ => GatewayCallOutcomes.Rejected,
    };

    private static string OutcomeOf(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        GatewayUnavailableException => GatewayCallOutcomes.Unavailable,
        TimeoutRejectedException => GatewayCallOutcomes.Timeout,
        OperationCanceledException when cancellationToken.IsCancellationRequested => GatewayCallOutcomes.Cancelled,
        // HttpClient's own timeout (when no resilience pipeline replaced it) surfaces as a cancellation too.
        OperationCanceledException => GatewayCallOutcomes.Timeout,
        _ => GatewayCallOutcomes.Error,
    };
}

public static class GatewayMetricsHttpClientBuilderExtensions
{
    /// <summary>
    /// Puts a <see cref="GatewayMetricsHandler"/> in front of the named HttpClient of each gateway (the adapters name
    /// their clients after their gateway: "Singapay", "Finpay"). Outermost whatever the registration order.
    /// </summary>
    public static IServiceCollection AddGatewayCallMetrics(this IServiceCollection services, params string[] gateways)
    {
        services.AddPaymentsMetrics();
        foreach (var gateway in gateways)
            services.AddHttpClient(gateway).AddGatewayCallMetrics(gateway);
        return services;
    }

    public static IHttpClientBuilder AddGatewayCallMetrics(this IHttpClientBuilder builder, string gateway)
    {
        builder.Services.AddPaymentsMetrics();
        return builder.ConfigureAdditionalHttpMessageHandlers((handlers, provider) =>
        {
            if (handlers.OfType<GatewayMetricsHandler>().Any())
                return;
            handlers.Insert(0, new GatewayMetricsHandler(gateway, provider.GetRequiredService<PaymentsMetrics>(),
                provider.GetService<TimeProvider>() ?? TimeProvider.System));
        });
    }
}
