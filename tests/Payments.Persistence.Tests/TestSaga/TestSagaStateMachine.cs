using MassTransit;
using Payments.Persistence.Tests.Infrastructure;

namespace Payments.Persistence.Tests.TestSaga;

public sealed class TestSagaStateMachine : MassTransitStateMachine<TestSagaState>
{
    public TestSagaStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => ByReference, x => x.CorrelateBy((saga, context) => saga.Reference == context.Message.Reference));
        Event(() => StartWithInsert, x =>
        {
            x.InsertOnInitial = true;
            x.SetSagaFactory(context => new TestSagaState { CorrelationId = context.Message.CorrelationId, Reference = context.Message.Reference });
        });

        Initially(
            When(Start)
                .Then(context =>
                {
                    context.Saga.Reference = context.Message.Reference;
                    context.Saga.Starts = 1;
                })
                .ThenAsync(WaitForRace)
                .Publish(context => new TestSagaStarted(context.Saga.CorrelationId))
                .TransitionTo(Active),
            When(StartWithInsert)
                .Then(context => context.Saga.Starts = 1)
                .ThenAsync(WaitForRace)
                .Publish(context => new TestSagaStarted(context.Saga.CorrelationId))
                .TransitionTo(Active));

        During(Active,
            When(Start)
                .Then(context => context.Saga.Starts++),
            When(StartWithInsert)
                .Then(context => context.Saga.Starts++),
            When(Increment)
                .Then(RecordTransaction)
                .ThenAsync(WaitForRace)
                .Then(context => context.Saga.Counter += context.Message.Amount)
                .Publish(context => new TestSagaIncremented(context.Saga.CorrelationId, context.Saga.Counter)),
            When(ByReference)
                .Then(context => context.Saga.Counter += context.Message.Amount)
                .Publish(context => new TestSagaIncremented(context.Saga.CorrelationId, context.Saga.Counter)),
            When(FailAfterPublishing)
                .Then(context => context.Saga.Counter = -1)
                .Publish(context => new TestSagaIncremented(context.Saga.CorrelationId, context.Saga.Counter))
                .Then(_ => throw new InvalidOperationException("Failed after publishing, on purpose")),
            When(PublishUndeliverable)
                .Then(context => context.Saga.Counter = 100)
                // MassTransit's outbox fails the first inline delivery of a message carrying this header.
                .Publish(context => new TestSagaIncremented(context.Saga.CorrelationId, context.Saga.Counter),
                    context => context.Headers.Set("MT-Fail-Delivery", true)));
    }

    public State Active { get; private set; } = null!;

    public Event<StartTestSaga> Start { get; private set; } = null!;

    public Event<StartTestSagaWithInsert> StartWithInsert { get; private set; } = null!;

    public Event<IncrementTestSaga> Increment { get; private set; } = null!;

    public Event<IncrementTestSagaByReference> ByReference { get; private set; } = null!;

    public Event<FailAfterPublishing> FailAfterPublishing { get; private set; } = null!;

    public Event<PublishUndeliverable> PublishUndeliverable { get; private set; } = null!;

    private static void RecordTransaction<T>(BehaviorContext<TestSagaState, T> context)
        where T : class
    {
        var dbContext = context.GetServiceOrCreateInstance<TestDbContext>();
        context.GetServiceOrCreateInstance<TransactionProbe>().Record(dbContext.Database.CurrentTransaction != null);
    }

    private static Task WaitForRace<T>(BehaviorContext<TestSagaState, T> context)
        where T : class
    {
        return context.GetServiceOrCreateInstance<RaceGate>().Arrive(context.CancellationToken);
    }
}
