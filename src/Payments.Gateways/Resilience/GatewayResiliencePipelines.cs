using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Payments.Gateways.Resilience;

/// <summary>
/// The strategies of a gateway's HTTP calls. Order: retry (never for charges) → the gateway's shared circuit breaker
/// (all kinds) → per-attempt timeout (by kind).
/// </summary>
internal static class GatewayResiliencePipelines
{
    /// <summary>What each HttpClient of the gateway runs its requests through; <paramref name="circuit"/> is shared by them all.</summary>
    public static void AddAttemptStrategies(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        string gateway,
        GatewayResilienceOptions settings,
        ResiliencePipeline<HttpResponseMessage> circuit,
        ILogger logger)
    {
        if (settings.RetryCount > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.RetryCount,
                Delay = settings.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = settings.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(
                    KindOf(args.Context) != GatewayCallKind.Charge && TransientFailure.Is(args.Outcome)),
                OnRetry = args =>
                {
                    GatewayResilienceLog.Retrying(logger, gateway, KindOf(args.Context), args.AttemptNumber + 1,
                        Describe(args.Outcome), args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddPipeline(circuit);

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(settings.AttemptTimeout.For(KindOf(args.Context))),
        });
    }

    /// <summary>The gateway's one circuit breaker, built once and shared by every HttpClient of the gateway.</summary>
    public static void AddCircuitBreaker(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        string gateway,
        GatewayResilienceOptions settings,
        GatewayCircuit circuit,
        TimeProvider clock,
        ILogger logger)
    {
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = settings.FailureRatio,
            MinimumThroughput = settings.MinimumThroughput,
            SamplingDuration = settings.SamplingDuration,
            BreakDuration = settings.BreakDuration,
            StateProvider = circuit.StateProvider,
            ShouldHandle = args => ValueTask.FromResult(TransientFailure.Is(args.Outcome)),
            OnOpened = args =>
            {
                circuit.OpenUntil = clock.GetUtcNow() + args.BreakDuration;
                GatewayResilienceLog.CircuitOpened(logger, gateway, args.BreakDuration, Describe(args.Outcome));
                return default;
            },
            OnHalfOpened = _ =>
            {
                circuit.OpenUntil = DateTimeOffset.MaxValue;
                GatewayResilienceLog.CircuitHalfOpened(logger, gateway);
                return default;
            },
            OnClosed = _ =>
            {
                circuit.OpenUntil = DateTimeOffset.MaxValue;
                GatewayResilienceLog.CircuitClosed(logger, gateway);
                return default;
            },
        });
    }

    /// <summary>An unmarked request, or none at all, counts as a charge: forgetting to mark it must never cause a retry.</summary>
    private static GatewayCallKind KindOf(ResilienceContext context) =>
        context.GetRequestMessage()?.GetGatewayCallKind() ?? GatewayCallKind.Charge;

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception
            ? exception.GetType().Name
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HTTP {(int?)outcome.Result?.StatusCode}");
}
