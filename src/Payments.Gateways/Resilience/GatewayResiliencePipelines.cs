using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Payments.Gateways.Resilience;

/// <summary>
/// One pipeline per gateway, kept for the life of the process. IHttpClientFactory recreates message handlers every
/// few minutes, so the circuit's state must live here and not in a handler; every HttpClient of a gateway shares it.
/// <para>Order: retry (never for charges) → circuit breaker (all kinds) → per-attempt timeout (by kind).</para>
/// </summary>
internal sealed class GatewayResiliencePipelines(
    IOptionsMonitor<GatewayResilienceOptions> options,
    IEnumerable<GatewayResilienceRegistration> registrations,
    TimeProvider? timeProvider = null,
    ILoggerFactory? loggerFactory = null) : IGatewayCircuitMonitor
{
    internal static readonly ResiliencePropertyKey<GatewayCallKind> CallKindKey = new("Payments.Gateways.CallKind");

    private readonly ConcurrentDictionary<string, Lazy<GatewayPipeline>> _pipelines = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger _logger =
        (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Payments.Gateways.Resilience");

    private TimeProvider Clock => timeProvider ?? TimeProvider.System;

    public IReadOnlyCollection<string> Gateways { get; } =
        registrations.Select(r => r.Gateway).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    public ResiliencePipeline<HttpResponseMessage> For(string gateway) =>
        _pipelines.GetOrAdd(gateway, name => new Lazy<GatewayPipeline>(() => Build(name))).Value.Pipeline;

    public GatewayCircuitState GetState(string gateway)
    {
        if (!_pipelines.TryGetValue(gateway, out var lazy) || !lazy.IsValueCreated)
            return GatewayCircuitState.Closed;
        var pipeline = lazy.Value;
        return pipeline.Circuit.CircuitState switch
        {
            CircuitState.Isolated => GatewayCircuitState.Open,
            // Polly moves to half-open only when the next call arrives; report it as soon as the break is over.
            CircuitState.Open => Clock.GetUtcNow() >= pipeline.OpenUntil ? GatewayCircuitState.HalfOpen : GatewayCircuitState.Open,
            CircuitState.HalfOpen => GatewayCircuitState.HalfOpen,
            _ => GatewayCircuitState.Closed,
        };
    }

    public bool IsOpen(string gateway) => GetState(gateway) == GatewayCircuitState.Open;

    private static GatewayCallKind KindOf(ResilienceContext context) =>
        context.Properties.GetValue(CallKindKey, GatewayCallKind.Charge);

    private GatewayPipeline Build(string gateway)
    {
        var settings = options.Get(gateway);
        var problems = settings.Validate(gateway).ToList();
        if (problems.Count > 0)
            throw new OptionsValidationException(gateway, typeof(GatewayResilienceOptions), problems);

        var circuit = new CircuitBreakerStateProvider();
        var pipeline = new GatewayPipeline(circuit);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = gateway, TimeProvider = Clock };

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
                    _logger.LogWarning(
                        "{Gateway} {CallKind} attempt {Attempt} failed ({Failure}); retrying in {Delay}",
                        gateway, KindOf(args.Context), args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = settings.FailureRatio,
            MinimumThroughput = settings.MinimumThroughput,
            SamplingDuration = settings.SamplingDuration,
            BreakDuration = settings.BreakDuration,
            StateProvider = circuit,
            ShouldHandle = args => ValueTask.FromResult(TransientFailure.Is(args.Outcome)),
            OnOpened = args =>
            {
                pipeline.OpenUntil = Clock.GetUtcNow() + args.BreakDuration;
                _logger.LogError("{Gateway} circuit opened for {BreakDuration} after {Failure}",
                    gateway, args.BreakDuration, Describe(args.Outcome));
                return default;
            },
            OnHalfOpened = _ =>
            {
                pipeline.OpenUntil = DateTimeOffset.MaxValue;
                _logger.LogInformation("{Gateway} circuit half-open: testing with one call", gateway);
                return default;
            },
            OnClosed = _ =>
            {
                pipeline.OpenUntil = DateTimeOffset.MaxValue;
                _logger.LogInformation("{Gateway} circuit closed", gateway);
                return default;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(settings.AttemptTimeout.For(KindOf(args.Context))),
        });

        pipeline.Pipeline = builder.Build();
        return pipeline;
    }

    // Status and exception type only: an exception message could quote a URL or body.
    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception
            ? exception.GetType().Name
            : $"HTTP {(int?)outcome.Result?.StatusCode}";

    private sealed class GatewayPipeline(CircuitBreakerStateProvider circuit)
    {
        // "Never" until OnOpened has run, so a circuit that is just opening is not reported half-open.
        private long _openUntilTicks = DateTimeOffset.MaxValue.UtcTicks;

        public CircuitBreakerStateProvider Circuit { get; } = circuit;

        public ResiliencePipeline<HttpResponseMessage> Pipeline { get; set; } = ResiliencePipeline<HttpResponseMessage>.Empty;

        public DateTimeOffset OpenUntil
        {
            get => new(Interlocked.Read(ref _openUntilTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _openUntilTicks, value.UtcTicks);
        }
    }
}

/// <summary>Marks a gateway registered with AddGatewayResilience, so the monitor can list it before its first call.</summary>
internal sealed record GatewayResilienceRegistration(string Gateway);
