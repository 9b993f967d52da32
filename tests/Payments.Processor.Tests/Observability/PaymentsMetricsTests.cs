using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Gateways.Resilience;
using Payments.Processor.Observability;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Observability.Support;
using Payments.Processor.Tests.Support;
using Polly.Timeout;
using Xunit;

namespace Payments.Processor.Tests.Observability;

public sealed class PaymentsMetricsTests : IAsyncDisposable
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricCollector<long> _started;
    private readonly MetricCollector<long> _completed;
    private readonly MetricCollector<double> _timeToCompletion;
    private readonly MetricCollector<double> _callDuration;
    private readonly MetricCollector<long> _callErrors;
    private readonly MetricCollector<int> _circuitState;

    public PaymentsMetricsTests()
    {
        // Scoped to this test's meter factory, so parallel tests' measurements don't mix.
        var factory = _meters.GetRequiredService<IMeterFactory>();
        _started = new(factory, PaymentsTelemetry.MeterName, PaymentsMetrics.Started);
        _completed = new(factory, PaymentsTelemetry.MeterName, PaymentsMetrics.Completed);
        _timeToCompletion = new(factory, PaymentsTelemetry.MeterName, PaymentsMetrics.TimeToCompletion);
        _callDuration = new(factory, PaymentsTelemetry.MeterName, PaymentsMetrics.GatewayCallDuration);
        _callErrors = new(factory, PaymentsTelemetry.MeterName, PaymentsMetrics.GatewayCallErrors);
        _circuitState = new(factory, PaymentsTelemetry.MeterName, PaymentsMetrics.GatewayCircuitState);
    }

    private PaymentsMetrics Metrics(IGatewayCircuitMonitor? circuits = null) =>
        new(_meters.GetRequiredService<IMeterFactory>(), circuits);

    [Fact]
    public async Task A_payment_is_counted_once_when_started_and_once_when_completed_with_its_time_to_completion()
    {
        await using var harness = await SagaHarness.Start();
        var observer = new PaymentBusObserver(Metrics(), harness.Clock);
        harness.Bus.Bus.ConnectPublishObserver(observer);
        var charge = Charges.Valid();

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Processing);
        await harness.Send(charge); // a duplicate command is no second payment
        harness.Clock.Advance(TimeSpan.FromSeconds(90));
        await harness.Report(charge.PaymentId, GatewayPaymentStatus.Succeeded);
        await harness.WaitFor(charge.PaymentId, m => m.Succeeded);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));

        var started = Assert.Single(_started.GetMeasurementSnapshot());
        Assert.Equal(1, started.Value);
        Assert.Equal(PaymentGateways.Singapay, started.Tags["gateway"]);
        var completed = Assert.Single(_completed.GetMeasurementSnapshot());
        Assert.Equal((PaymentGateways.Singapay, "succeeded"), (completed.Tags["gateway"], completed.Tags["outcome"]));
        var duration = Assert.Single(_timeToCompletion.GetMeasurementSnapshot());
        Assert.Equal(90, duration.Value, precision: 3);
        Assert.Equal("succeeded", duration.Tags["outcome"]);
    }

    [Fact]
    public async Task A_payment_failing_validation_is_started_and_completed_as_failed()
    {
        await using var harness = await SagaHarness.Start();
        harness.Bus.Bus.ConnectPublishObserver(new PaymentBusObserver(Metrics(), harness.Clock));
        var charge = Charges.Valid() with { Amount = 1 };

        await harness.Send(charge);
        await harness.WaitFor(charge.PaymentId, m => m.Failed);
        Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));

        Assert.Equal(PaymentGateways.Singapay, Assert.Single(_started.GetMeasurementSnapshot()).Tags["gateway"]);
        var completed = Assert.Single(_completed.GetMeasurementSnapshot());
        Assert.Equal("failed", completed.Tags["outcome"]);
        Assert.Equal(0, Assert.Single(_timeToCompletion.GetMeasurementSnapshot()).Value);
        Assert.Equal(0, harness.Gateway.Charges);
    }

    [Theory]
    [InlineData("200", GatewayCallKind.Inquiry, GatewayCallOutcomes.Success, false)]
    [InlineData("302", GatewayCallKind.Token, GatewayCallOutcomes.Success, false)]
    [InlineData("403", GatewayCallKind.Charge, GatewayCallOutcomes.Rejected, false)]
    [InlineData("429", GatewayCallKind.Inquiry, GatewayCallOutcomes.ServerError, true)]
    [InlineData("503", GatewayCallKind.Cancel, GatewayCallOutcomes.ServerError, true)]
    [InlineData("unavailable", GatewayCallKind.Charge, GatewayCallOutcomes.Unavailable, true)]
    [InlineData("timeout", GatewayCallKind.Charge, GatewayCallOutcomes.Timeout, true)]
    [InlineData("reset", GatewayCallKind.Inquiry, GatewayCallOutcomes.Error, true)]
    public async Task Each_gateway_call_is_timed_with_its_gateway_operation_and_outcome(string answer, GatewayCallKind kind,
        string outcome, bool isError)
    {
        using var http = new HttpClient(new GatewayMetricsHandler(PaymentGateways.Finpay, Metrics(), TimeProvider.System)
        {
            InnerHandler = new AnsweringHandler(answer),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://finpay.test/pg/payment/card/payment").SetGatewayCallKind(kind);

        try
        {
            using var _ = await http.SendAsync(request, TestContext.Current.CancellationToken);
        }
        catch (Exception exception) when (exception is GatewayUnavailableException or TimeoutRejectedException or HttpRequestException)
        {
            // The handler measures and passes failures on unchanged.
        }

        var call = Assert.Single(_callDuration.GetMeasurementSnapshot());
        Assert.Equal((PaymentGateways.Finpay, kind.ToString().ToLowerInvariant(), outcome), (call.Tags["gateway"], call.Tags["operation"], call.Tags["outcome"]));
        Assert.True(call.Value >= 0);
        Assert.Equal(isError ? 1 : 0, _callErrors.GetMeasurementSnapshot().Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_metrics_handler_sits_outside_the_resilience_pipeline_whatever_the_registration_order(bool metricsFirst)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IMeterFactory>(_meters.GetRequiredService<IMeterFactory>());
        if (metricsFirst)
            services.AddGatewayCallMetrics(PaymentGateways.Singapay);
        services.AddHttpClient(PaymentGateways.Singapay, http => http.BaseAddress = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/"))
            .AddGatewayResilience(PaymentGateways.Singapay);
        if (!metricsFirst)
            services.AddGatewayCallMetrics(PaymentGateways.Singapay);
        services.AddGatewayCallMetrics(PaymentGateways.Singapay); // twice: still one handler
        await using var provider = services.BuildServiceProvider();
        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(PaymentGateways.Singapay);

        // Nothing listens on that port: the pipeline turns the refused connection into GatewayUnavailableException.
        await Assert.ThrowsAsync<GatewayUnavailableException>(() => http.PostAsync("charge", null, TestContext.Current.CancellationToken));

        var call = Assert.Single(_callDuration.GetMeasurementSnapshot());
        Assert.Equal((PaymentGateways.Singapay, "charge", GatewayCallOutcomes.Unavailable), (call.Tags["gateway"], call.Tags["operation"], call.Tags["outcome"]));
    }

    [Fact]
    public void Each_gateway_circuit_is_observed_as_a_gauge()
    {
        _ = Metrics(new FixedCircuits(new() { [PaymentGateways.Singapay] = GatewayCircuitState.Open, [PaymentGateways.Finpay] = GatewayCircuitState.HalfOpen }));

        _circuitState.RecordObservableInstruments();

        var states = _circuitState.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["gateway"]!, m => m.Value);
        Assert.Equal(2, states[PaymentGateways.Singapay]);
        Assert.Equal(1, states[PaymentGateways.Finpay]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var collector in new IDisposable[] { _started, _completed, _timeToCompletion, _callDuration, _callErrors, _circuitState })
            collector.Dispose();
        await _meters.DisposeAsync();
    }

    private sealed class AnsweringHandler(string answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer switch
        {
            "unavailable" => throw new GatewayUnavailableException(PaymentGateways.Finpay, "circuit open; the request was not sent"),
            "timeout" => throw new TimeoutRejectedException(),
            "reset" => throw new HttpRequestException("connection reset"),
            _ => Task.FromResult(new HttpResponseMessage((HttpStatusCode)int.Parse(answer, CultureInfo.InvariantCulture))),
        };
    }

    internal sealed class FixedCircuits(Dictionary<string, GatewayCircuitState> states) : IGatewayCircuitMonitor
    {
        public IReadOnlyCollection<string> Gateways => states.Keys;

        public GatewayCircuitState GetState(string gateway) => states[gateway];

        public bool IsOpen(string gateway) => states[gateway] == GatewayCircuitState.Open;
    }
}
