using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Hosting;
using Payments.Processor.Payments;

namespace Payments.Processor.Tests.Support;

/// <summary>The shipped saga wiring on MassTransit's test harness, with a scripted gateway and a fake clock.</summary>
public sealed class SagaHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public ScriptedGateway Gateway { get; }
    /// <summary>The saga's and the scheduler's only notion of now: it moves when a test moves it.</summary>
    public FakeTimeProvider Clock { get; }
    public ITestHarness Bus { get; }
    public ISagaStateMachineTestHarness<PaymentStateMachine, PaymentState> Saga { get; }
    public PaymentStateMachine Machine { get; }

    private SagaHarness(ServiceProvider provider, ScriptedGateway gateway, FakeTimeProvider clock)
    {
        _provider = provider;
        Gateway = gateway;
        Clock = clock;
        Bus = provider.GetRequiredService<ITestHarness>();
        Saga = Bus.GetSagaStateMachineHarness<PaymentStateMachine, PaymentState>();
        Machine = provider.GetRequiredService<PaymentStateMachine>();
    }

    /// <summary>Where every harness's clock starts: a fixed instant, so no test depends on the day it runs.</summary>
    public static readonly DateTimeOffset ClockStart = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static readonly ProcessorSettings Settings = new(TransportKind.InMemory, null, DatabaseProvider.InMemory, null, EmbeddedSandbox: false);

    public static async Task<SagaHarness> Start(Action<PaymentOptions>? options = null, ScriptedGateway? gateway = null,
        Action<IServiceCollection>? services = null)
    {
        gateway ??= new ScriptedGateway();
        var other = new ScriptedGateway(gateway.Name == PaymentGateways.Finpay ? PaymentGateways.Singapay : PaymentGateways.Finpay);
        var clock = new FakeTimeProvider(ClockStart);
        var replace = services;
        var collection = new ServiceCollection()
            .AddLogging(l => l.AddProvider(NullLoggerProvider.Instance))
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IPaymentGateway>(gateway)
            .AddSingleton<IPaymentGateway>(other)
            .AddSingleton<PaymentGatewayRouter>()
            .AddSingleton(Settings)
            .AddPaymentsStores(Settings);
        // The scheduler's dispatcher would deliver due messages on a real-time timer, whenever it wakes after a test
        // moved the clock. Without it, only Advance delivers them: a test decides when time has passed.
        collection.RemoveAll<IHostedService>();
        collection.AddOptions<PaymentOptions>().Configure(o =>
        {
            o.RetryIntervals = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)];
            options?.Invoke(o);
        });
        collection.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddPaymentsBus(Settings);
            x.UsingInMemory((context, cfg) =>
            {
                PaymentsMessaging.ConfigureBus(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        replace?.Invoke(collection);
        var provider = collection.BuildServiceProvider(validateScopes: true);
        var harness = new SagaHarness(provider, gateway, clock);
        await harness.Bus.Start();
        return harness;
    }

    public T Service<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Moves the clock and delivers whatever the scheduler then has due (polls, the 3DS expiry).</summary>
    public async Task Advance(TimeSpan by)
    {
        Clock.Advance(by);
        await Settle();
        await Service<global::Payments.Persistence.Scheduling.ScheduledMessageDispatcher>().DispatchDueAsync(CancellationToken.None);
        await Settle();
    }

    /// <summary>
    /// Waits until the bus is quiet: no message consumed, published or sent for a while. (The harness's
    /// InactivityTask completes once and stays completed, so it can't tell later quiet from earlier.)
    /// </summary>
    public async Task Settle()
    {
        int Activity() => Bus.Consumed.Select<object>().Count() + Bus.Published.Select<object>().Count() + Bus.Sent.Select<object>().Count();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var quietRounds = 0;
        var last = Activity();
        while (quietRounds < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(40);
            var now = Activity();
            quietRounds = now == last ? quietRounds + 1 : 0;
            last = now;
        }
    }

    public IReadOnlyList<global::Payments.Persistence.Scheduling.ScheduledMessage> Scheduled() =>
        Service<global::Payments.Persistence.Scheduling.InMemoryScheduledMessageStore>().Snapshot();

    public Task Send(ChargeRequested charge) => Bus.Bus.Publish(charge);

    public Task Report(Guid paymentId, GatewayPaymentStatus status, string source = TransitionCauses.Callback, bool finalCheck = false,
        string? code = null, string? failureCode = null) =>
        Bus.Bus.Publish(new GatewayStatusReported
        {
            PaymentId = paymentId,
            Gateway = Gateway.Name,
            Source = source,
            Status = status,
            ResponseCode = code,
            FailureCode = failureCode,
            FinalCheck = finalCheck,
            ReportedAt = Clock.GetUtcNow(),
        });

    /// <summary>Waits until the payment is in <paramref name="state"/>; fails the test with its audit trail if not.</summary>
    public Task<PaymentState> WaitFor(Guid paymentId, Func<PaymentStateMachine, State> state, TimeSpan? timeout = null) =>
        WaitFor(paymentId, state, _ => true, timeout);

    /// <summary>Waits until the payment is in <paramref name="state"/> and <paramref name="condition"/> holds.</summary>
    public async Task<PaymentState> WaitFor(Guid paymentId, Func<PaymentStateMachine, State> state, Func<PaymentState, bool> condition,
        TimeSpan? timeout = null)
    {
        var expected = state(Machine).Name;
        // The repository, not the harness's list of created instances: that list keeps instances a faulted consume discarded.
        var repository = Service<ILoadSagaRepository<PaymentState>>();
        var deadline = DateTime.UtcNow + (timeout ?? Eventually.DefaultTimeout);
        PaymentState? payment;
        bool Reached(PaymentState? p) => p?.CurrentState == expected && condition(p);
        while (!Reached(payment = await repository.Load(paymentId)) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        if (!Reached(payment))
            throw new Xunit.Sdk.XunitException(
                $"Payment {paymentId} did not reach {expected}; it is {payment?.CurrentState ?? "absent"}. " +
                string.Join(" | ", payment?.Transitions.Select(t => $"{t.From}->{t.To} ({t.Cause}: {t.Detail})") ?? []));
        return payment;
    }

    public async Task<IReadOnlyList<T>> Published<T>(Func<T, bool> filter) where T : class
    {
        await Settle();
        return Bus.Published.Select<T>().Select(m => m.Context.Message).Where(filter).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.Stop();
        await _provider.DisposeAsync();
    }
}
