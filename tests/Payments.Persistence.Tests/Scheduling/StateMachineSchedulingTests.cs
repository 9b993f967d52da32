using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Persistence.Scheduling;
using Xunit;
using ScheduledMessage = Payments.Persistence.Scheduling.ScheduledMessage;

namespace Payments.Persistence.Tests.Scheduling;

public sealed class StateMachineSchedulingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_rescheduled_poll_replaces_the_old_one_and_a_poll_carrying_the_stale_token_is_ignored(bool inMemoryOutbox)
    {
        await using SchedulingTestHost host = await StartHost(inMemoryOutbox);
        ISagaStateMachineTestHarness<PollingStateMachine, PollingState> saga = SagaHarness(host);
        var paymentId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new PollingStarted(paymentId), Token);
        Assert.NotNull(await saga.Exists(paymentId, x => x.Waiting));
        Guid firstToken = await TokenOf(saga, paymentId);
        ScheduledMessage firstStored = Assert.Single(Store(host).Snapshot());
        Assert.Equal(firstToken, firstStored.TokenId);
        Assert.Equal(host.Clock.GetUtcNow() + PollingStateMachine.PollDelay, firstStored.DueAt);

        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await host.Harness.Bus.Publish(new PollingRescheduled(paymentId), Token);
        await saga.Consumed.WaitForConsumed<PollingRescheduled>(x => x.PaymentId == paymentId);
        Guid secondToken = await TokenOf(saga, paymentId);
        Assert.NotEqual(firstToken, secondToken);
        // With the in-memory outbox the old token is cancelled once the message has been consumed, a moment later.
        await Eventually.Until(() => Store(host).Count == 1, "one message is scheduled");
        ScheduledMessage secondStored = Assert.Single(Store(host).Snapshot());
        Assert.Equal(secondToken, secondStored.TokenId);
        Assert.Equal(host.Clock.GetUtcNow() + PollingStateMachine.PollDelay, secondStored.DueAt);

        // What a dispatcher that sent the first poll just before it was cancelled would deliver.
        ISendEndpoint sagaEndpoint = await host.Harness.Bus.GetSendEndpoint(new Uri($"queue:{PollingStateMachine.EndpointName}"));
        await sagaEndpoint.Send(new PollDue(paymentId, 1), send => send.Headers.Set(MessageHeaders.SchedulingTokenId, firstToken.ToString("N")), Token);
        await saga.Consumed.WaitForConsumed<PollDue>(x => x.Attempt == 1 && x.PaymentId == paymentId);
        PollingState afterStale = saga.Sagas.Contains(paymentId)!;
        Assert.Equal(0, afterStale.PollsHandled);
        Assert.Equal(secondToken, afterStale.PollTokenId);

        host.Clock.Advance(PollingStateMachine.PollDelay);
        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(Token));

        Assert.NotNull(await saga.Exists(paymentId, x => x.Idle));
        PollingState handled = saga.Sagas.Contains(paymentId)!;
        Assert.Equal(1, handled.PollsHandled);
        Assert.Null(handled.PollTokenId);
        Assert.Equal(0, Store(host).Count);
    }

    [Fact]
    public async Task An_unscheduled_poll_is_never_delivered()
    {
        await using SchedulingTestHost host = await StartHost();
        ISagaStateMachineTestHarness<PollingStateMachine, PollingState> saga = SagaHarness(host);
        var paymentId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new PollingStarted(paymentId), Token);
        Assert.NotNull(await saga.Exists(paymentId, x => x.Waiting));
        Assert.Equal(1, Store(host).Count);

        await host.Harness.Bus.Publish(new PollingStopped(paymentId), Token);
        Assert.NotNull(await saga.Exists(paymentId, x => x.Idle));
        Assert.Equal(0, Store(host).Count);

        host.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await host.Dispatcher.DispatchDueAsync(Token));
        // Waits until the bus has been idle for a moment.
        Assert.False(await saga.Consumed.Any<PollDue>(x => x.Context.Message.PaymentId == paymentId, Token));
        Assert.Equal(0, saga.Sagas.Contains(paymentId)!.PollsHandled);
    }

    // The in-memory outbox wraps the scheduler context (cancels are deferred until the message is consumed); the
    // processor uses it when it runs without a database.
    private static Task<SchedulingTestHost> StartHost(bool inMemoryOutbox = false) => SchedulingTestHost.StartAsync(
        o => o.UseInMemory(),
        configureBus: x =>
        {
            x.AddSagaStateMachine<PollingStateMachine, PollingState>()
                .InMemoryRepository()
                .Endpoint(e => e.Name = PollingStateMachine.EndpointName);
            if (inMemoryOutbox)
            {
                x.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseInMemoryOutbox(context));
            }
        });

    private static ISagaStateMachineTestHarness<PollingStateMachine, PollingState> SagaHarness(SchedulingTestHost host) =>
        host.Harness.GetSagaStateMachineHarness<PollingStateMachine, PollingState>();

    private static InMemoryScheduledMessageStore Store(SchedulingTestHost host) =>
        host.Services.GetRequiredService<InMemoryScheduledMessageStore>();

    private static async Task<Guid> TokenOf(ISagaStateMachineTestHarness<PollingStateMachine, PollingState> saga, Guid paymentId)
    {
        Guid? token = null;
        await Eventually.Until(() => (token = saga.Sagas.Contains(paymentId)?.PollTokenId) is not null, "the saga holds its poll token");
        return token!.Value;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
