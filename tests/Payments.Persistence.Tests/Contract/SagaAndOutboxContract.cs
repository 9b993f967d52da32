using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Persistence.Tests.Infrastructure;
using Payments.Persistence.Tests.TestSaga;
using Xunit;

namespace Payments.Persistence.Tests.Contract;

/// <summary>
/// What a saga repository with its transactional outbox and inbox must do, whoever implements it: each case runs
/// against our EF repository and outbox on PostgreSQL and against MassTransit's in-memory repository and in-memory
/// inbox/outbox. MassTransit.EntityFrameworkCore would have to pass the same cases to replace ours.
/// </summary>
public abstract class SagaAndOutboxContract : IAsyncLifetime
{
    private ServiceProvider? _provider;

    private ServiceProvider Provider => _provider ?? throw new InvalidOperationException("The bus has not been started.");

    protected ITestHarness Harness => Provider.GetRequiredService<ITestHarness>();

    private DeliveryLog Deliveries => Provider.GetRequiredService<DeliveryLog>();

    /// <summary>Registers the saga repository and the outbox/inbox under test.</summary>
    protected abstract void AddStores(IServiceCollection services, IBusRegistrationConfigurator bus,
        ISagaRegistrationConfigurator<TestSagaState> saga);

    /// <summary>Puts every endpoint's consumers and sagas through the outbox/inbox under test.</summary>
    protected abstract void UseOutbox(IReceiveEndpointConfigurator endpoint, IRegistrationContext context);

    public virtual async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero)));
        services.AddSingleton<RaceGate>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<TransactionProbe>();
        services.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.ConcurrentMessageLimit = 16;
                UseOutbox(endpoint, context);
            });
            var saga = x.AddSagaStateMachine<TestSagaStateMachine, TestSagaState>();
            x.AddConsumer<DeliveryLogConsumer>();
            AddStores(services, x, saga);
        });

        _provider = services.BuildServiceProvider(true);
        await Harness.Start();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_provider is null)
            return;
        await Harness.Stop();
        await _provider.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_started_saga_is_stored_and_loads_by_its_id()
    {
        var sagaId = await StartSaga("contract-start");

        var saga = await Load(sagaId);

        Assert.NotNull(saga);
        Assert.Equal("contract-start", saga.Reference);
        Assert.Equal("Active", saga.CurrentState);
        Assert.Equal(1, saga.Starts);
    }

    [Fact]
    public async Task An_event_s_change_is_stored_and_announced_once()
    {
        var sagaId = await StartSaga("contract-update");

        await Harness.Bus.Publish(new IncrementTestSaga(sagaId, 5), TestContext.Current.CancellationToken);

        await Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId), "the increment was announced");
        Assert.Equal(5, (await Load(sagaId))?.Counter);
        await Harness.InactivityTask;
        Assert.All(Deliveries.Deliveries.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Messages_racing_for_one_instance_each_see_the_one_before()
    {
        var sagaId = await StartSaga("contract-race");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Harness.Bus.Publish(new IncrementTestSaga(sagaId, 1), TestContext.Current.CancellationToken)));

        await Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Count(x => x.CorrelationId == sagaId) == 10, "all ten increments were announced");
        Assert.Equal(10, (await Load(sagaId))?.Counter);
        // No update was lost: each one counted on top of another.
        Assert.Equal(Enumerable.Range(1, 10), Deliveries.Of<TestSagaIncremented>().Where(x => x.CorrelationId == sagaId).Select(x => x.Counter).Order());
    }

    [Fact]
    public async Task Two_messages_creating_the_same_instance_at_once_end_with_one_instance()
    {
        var sagaId = NewId.NextGuid();

        await Task.WhenAll(
            Harness.Bus.Publish(new StartTestSaga(sagaId, "contract-twice"), TestContext.Current.CancellationToken),
            Harness.Bus.Publish(new StartTestSaga(sagaId, "contract-twice"), TestContext.Current.CancellationToken));

        await Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), "the saga started");
        await Harness.InactivityTask;
        Assert.Equal(2, (await Load(sagaId))?.Starts);
        Assert.Single(Deliveries.Of<TestSagaStarted>(), x => x.CorrelationId == sagaId);
    }

    [Fact]
    public async Task A_message_delivered_again_with_the_same_id_has_one_effect()
    {
        var sagaId = await StartSaga("contract-redelivered");
        var messageId = NewId.NextGuid();

        await Publish(new IncrementTestSaga(sagaId, 5), messageId);
        await Deliveries.WaitFor(log => log.Of<TestSagaIncremented>().Any(x => x.CorrelationId == sagaId), "the increment was announced");
        // The same message again: once after the first completed, then twice at the same time.
        await Publish(new IncrementTestSaga(sagaId, 5), messageId);
        await Task.WhenAll(Publish(new IncrementTestSaga(sagaId, 5), messageId), Publish(new IncrementTestSaga(sagaId, 5), messageId));

        // The bus is idle only once all three copies were received (the harness lists a message id once).
        await Harness.InactivityTask;
        Assert.Equal(5, (await Load(sagaId))?.Counter);
        Assert.Single(Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId);
    }

    [Fact]
    public async Task What_a_failing_message_published_is_never_delivered()
    {
        var sagaId = await StartSaga("contract-fail");

        await Harness.Bus.Publish(new FailAfterPublishing(sagaId), TestContext.Current.CancellationToken);

        Assert.True(await Harness.Published.Any<Fault<FailAfterPublishing>>(x => x.Context.Message.Message.CorrelationId == sagaId,
            TestContext.Current.CancellationToken));
        await Harness.InactivityTask;
        Assert.DoesNotContain(Deliveries.Of<TestSagaIncremented>(), x => x.CorrelationId == sagaId);
    }

    private async Task<Guid> StartSaga(string reference)
    {
        var sagaId = NewId.NextGuid();
        await Harness.Bus.Publish(new StartTestSaga(sagaId, reference), TestContext.Current.CancellationToken);
        await Deliveries.WaitFor(log => log.Of<TestSagaStarted>().Any(x => x.CorrelationId == sagaId), $"saga {reference} started");
        return sagaId;
    }

    private Task Publish<T>(T message, Guid messageId)
        where T : class =>
        Harness.Bus.Publish(message, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

    private async Task<TestSagaState?> Load(Guid sagaId)
    {
        await using var scope = Provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ILoadSagaRepository<TestSagaState>>().Load(sagaId);
    }
}
