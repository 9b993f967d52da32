using MassTransit;

namespace Payments.Persistence.Tests.Scheduling;

public sealed record PollingStarted(Guid PaymentId);

public sealed record PollingRescheduled(Guid PaymentId);

public sealed record PollingStopped(Guid PaymentId);

public sealed class PollingState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = string.Empty;

    public Guid? PollTokenId { get; set; }

    public int PollsHandled { get; set; }
}

/// <summary>A saga shaped like the payment's inquiry poll: schedule, re-schedule, unschedule, handle the poll.</summary>
public sealed class PollingStateMachine : MassTransitStateMachine<PollingState>
{
    public const string EndpointName = "scheduling-polling-saga";

    public static readonly TimeSpan PollDelay = TimeSpan.FromSeconds(30);

    public PollingStateMachine(TimeProvider clock)
    {
        InstanceState(x => x.CurrentState);

        Event(() => Started, x => x.CorrelateById(context => context.Message.PaymentId));
        Event(() => Rescheduled, x => x.CorrelateById(context => context.Message.PaymentId));
        Event(() => Stopped, x => x.CorrelateById(context => context.Message.PaymentId));
        Schedule(() => Poll, x => x.PollTokenId, schedule =>
        {
            schedule.Delay = PollDelay;
            schedule.Received = r => r.CorrelateById(context => context.Message.PaymentId);
        });

        // Due times come from the injected clock; MassTransit's delay-only overload would read DateTime.UtcNow.
        DateTime NextPoll<T>(BehaviorContext<PollingState, T> context) where T : class => clock.GetUtcNow().UtcDateTime + PollDelay;

        Initially(
            When(Started)
                .Schedule(Poll, context => new PollDue(context.Saga.CorrelationId, 1), NextPoll)
                .TransitionTo(Waiting));

        During(Waiting,
            When(Rescheduled)
                .Schedule(Poll, context => new PollDue(context.Saga.CorrelationId, 2), NextPoll),
            When(Stopped)
                .Unschedule(Poll)
                .TransitionTo(Idle),
            When(Poll.Received)
                .Then(context => context.Saga.PollsHandled++)
                .TransitionTo(Idle));
    }

    public State Waiting { get; private set; } = null!;

    public State Idle { get; private set; } = null!;

    public Event<PollingStarted> Started { get; private set; } = null!;

    public Event<PollingRescheduled> Rescheduled { get; private set; } = null!;

    public Event<PollingStopped> Stopped { get; private set; } = null!;

    public Schedule<PollingState, PollDue> Poll { get; private set; } = null!;
}
