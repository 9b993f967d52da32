using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payments.Persistence.Scheduling;
using Xunit;
using ScheduledMessage = Payments.Persistence.Scheduling.ScheduledMessage;

namespace Payments.Persistence.Tests.Scheduling;

public sealed record ScheduleInTransaction(Guid PaymentId, DateTime DueAt, bool FailAfterSaving);

/// <summary>Schedules inside a transaction on the scoped context, as the saga repository and the outbox do.</summary>
public sealed class TransactionalSchedulingConsumer(SchedulingTestDbContext db) : IConsumer<ScheduleInTransaction>
{
    public async Task Consume(ConsumeContext<ScheduleInTransaction> context)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);

        await context.ScheduleSend(PollProbeConsumer.Address, context.Message.DueAt, new PollDue(context.Message.PaymentId, 1), context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);

        if (context.Message.FailAfterSaving)
        {
            throw new InvalidOperationException("The consumer failed after saving; its transaction rolls back.");
        }

        await transaction.CommitAsync(context.CancellationToken);
    }
}

public sealed class EntityFrameworkSchedulingTests(PostgresSchedulingDatabase database) : IClassFixture<PostgresSchedulingDatabase>, IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        if (database.ConnectionString is not null)
        {
            await database.ClearAsync();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_schedule_outside_a_consumer_is_committed_at_once_and_delivered_after_a_restart()
    {
        database.SkipIfUnavailable();
        var clock = new FakeTimeProvider(SchedulingTestHost.Start);
        var paymentId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        Guid tokenId;

        await using (SchedulingTestHost before = await StartHost(clock))
        {
            MassTransit.ScheduledMessage<PollDue> handle = await before.ScheduleOutsideConsumer(PollProbeConsumer.Address,
                clock.GetUtcNow().UtcDateTime.AddSeconds(45), new PollDue(paymentId, 1), send => send.MessageId = messageId);
            tokenId = handle.TokenId;
        }

        ScheduledMessage stored = Assert.Single(await database.ReadAllAsync());
        Assert.Equal(tokenId, stored.TokenId);
        Assert.Equal(messageId, stored.MessageId);
        Assert.Equal(clock.GetUtcNow().AddSeconds(45), stored.DueAt);
        Assert.Equal("application/vnd.masstransit+json", stored.ContentType);
        Assert.Contains(paymentId.ToString(), stored.Body);

        await using SchedulingTestHost after = await StartHost(clock);
        Assert.Equal(0, await after.Dispatcher.DispatchDueAsync(Token));
        clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(1, await after.Dispatcher.DispatchDueAsync(Token));

        Delivery delivery = await after.Deliveries.WaitForOne(x => x.Message.PaymentId == paymentId);
        Assert.Equal(tokenId, delivery.SchedulingTokenId);
        Assert.Equal(messageId, delivery.MessageId);
        Assert.Empty(await database.ReadAllAsync());
    }

    [Fact]
    public async Task A_schedule_outside_a_unit_of_work_saves_nothing_else_the_scoped_context_tracks()
    {
        database.SkipIfUnavailable();
        await using SchedulingTestHost host = await StartHost(new FakeTimeProvider(SchedulingTestHost.Start));
        var paymentId = Guid.NewGuid();
        var unsaved = new ScheduledMessage
        {
            TokenId = Guid.NewGuid(),
            MessageId = Guid.NewGuid(),
            DestinationAddress = "queue:nowhere",
            MessageType = "urn:message:Unsaved",
            ContentType = "application/json",
            Body = "{}",
            DueAt = host.Clock.GetUtcNow(),
            CreatedAt = host.Clock.GetUtcNow(),
        };

        await using (AsyncServiceScope scope = host.Services.CreateAsyncScope())
        {
            // Someone else's pending change in the same scope, e.g. a half-run saga without an outbox.
            scope.ServiceProvider.GetRequiredService<SchedulingTestDbContext>().Add(unsaved);

            await scope.ServiceProvider.GetRequiredService<IMessageScheduler>()
                .ScheduleSend(PollProbeConsumer.Address, host.Clock.GetUtcNow().UtcDateTime.AddSeconds(5), new PollDue(paymentId, 1), Token);
        }

        ScheduledMessage stored = Assert.Single(await database.ReadAllAsync());
        Assert.NotEqual(unsaved.TokenId, stored.TokenId);
        Assert.Contains(paymentId.ToString(), stored.Body);
    }

    [Fact]
    public async Task A_cancelled_schedule_is_deleted_and_never_sent()
    {
        database.SkipIfUnavailable();
        await using SchedulingTestHost host = await StartHost(new FakeTimeProvider(SchedulingTestHost.Start));
        var paymentId = Guid.NewGuid();

        MassTransit.ScheduledMessage<PollDue> handle = await host.ScheduleOutsideConsumer(PollProbeConsumer.Address,
            host.Clock.GetUtcNow().UtcDateTime.AddSeconds(5), new PollDue(paymentId, 1));
        await host.CancelOutsideConsumer(PollProbeConsumer.Address, handle.TokenId);

        Assert.Empty(await database.ReadAllAsync());
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await host.Dispatcher.DispatchDueAsync(Token));
        Assert.False(await host.Harness.Consumed.Any<PollDue>(x => x.Context.Message.PaymentId == paymentId, Token));
    }

    [Fact]
    public async Task A_schedule_in_a_consume_transaction_commits_with_it()
    {
        database.SkipIfUnavailable();
        await using SchedulingTestHost host = await StartHost(new FakeTimeProvider(SchedulingTestHost.Start));
        var paymentId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new ScheduleInTransaction(paymentId, host.Clock.GetUtcNow().UtcDateTime.AddMinutes(3), FailAfterSaving: false), Token);

        await host.Harness.Consumed.WaitForConsumed<ScheduleInTransaction>(x => x.PaymentId == paymentId);
        Assert.False(await host.Harness.Published.Any<Fault<ScheduleInTransaction>>(Token));
        ScheduledMessage stored = Assert.Single(await database.ReadAllAsync());
        Assert.Equal(host.Clock.GetUtcNow().AddMinutes(3), stored.DueAt);

        host.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(Token));
        Delivery delivery = await host.Deliveries.WaitForOne(x => x.Message.PaymentId == paymentId);
        Assert.Equal(stored.TokenId, delivery.SchedulingTokenId);
    }

    [Fact]
    public async Task A_schedule_in_a_consume_transaction_that_rolls_back_leaves_no_row()
    {
        database.SkipIfUnavailable();
        await using SchedulingTestHost host = await StartHost(new FakeTimeProvider(SchedulingTestHost.Start));
        var paymentId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new ScheduleInTransaction(paymentId, host.Clock.GetUtcNow().UtcDateTime.AddMinutes(3), FailAfterSaving: true), Token);

        await host.Harness.Published.WaitForPublished<Fault<ScheduleInTransaction>>(x => x.Message.PaymentId == paymentId);
        Assert.Empty(await database.ReadAllAsync());
        host.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await host.Dispatcher.DispatchDueAsync(Token));
    }

    [Fact]
    public async Task A_claim_held_by_one_dispatcher_is_skipped_by_another_until_released()
    {
        database.SkipIfUnavailable();
        await using SchedulingTestHost host = await StartHost(new FakeTimeProvider(SchedulingTestHost.Start));
        for (int i = 0; i < 5; i++)
        {
            await host.ScheduleOutsideConsumer(PollProbeConsumer.Address, host.Clock.GetUtcNow().UtcDateTime.AddSeconds(i), new PollDue(Guid.NewGuid(), i));
        }

        DateTimeOffset later = host.Clock.GetUtcNow().AddMinutes(1);
        await using SchedulingTestDbContext firstContext = database.CreateContext();
        await using SchedulingTestDbContext secondContext = database.CreateContext();
        var first = new EntityFrameworkScheduledMessageStore<SchedulingTestDbContext>(firstContext);
        var second = new EntityFrameworkScheduledMessageStore<SchedulingTestDbContext>(secondContext);

        IScheduledMessageClaim held = await first.ClaimDueAsync(later, 3, Token);
        List<Guid> heldTokens = held.Messages.Select(x => x.TokenId).ToList();
        List<Guid> otherTokens;
        await using (IScheduledMessageClaim other = await second.ClaimDueAsync(later, 10, Token))
        {
            otherTokens = other.Messages.Select(x => x.TokenId).ToList();
        }

        Assert.Equal(3, heldTokens.Count);
        Assert.Equal(2, otherTokens.Count);
        Assert.Empty(heldTokens.Intersect(otherTokens));

        await held.DisposeAsync();
        await using IScheduledMessageClaim afterRelease = await second.ClaimDueAsync(later, 10, Token);
        Assert.Equal(5, afterRelease.Messages.Count);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_send_each_message_exactly_once()
    {
        database.SkipIfUnavailable();
        const int count = 120;
        await using SchedulingTestHost host = await StartHost(new FakeTimeProvider(SchedulingTestHost.Start), batchSize: 7);
        var payments = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        foreach (Guid paymentId in payments)
        {
            await host.ScheduleOutsideConsumer(PollProbeConsumer.Address, host.Clock.GetUtcNow().UtcDateTime.AddSeconds(1), new PollDue(paymentId, 1));
        }

        host.Clock.Advance(TimeSpan.FromSeconds(1));
        ScheduledMessageDispatcher first = host.Dispatcher;
        ScheduledMessageDispatcher second = ActivatorUtilities.CreateInstance<ScheduledMessageDispatcher>(host.Services);

        async Task<int> DrainWith(ScheduledMessageDispatcher dispatcher)
        {
            int sent = 0;
            while ((await database.ReadAllAsync()).Count > 0)
            {
                sent += await dispatcher.DispatchDueAsync(Token);
            }

            return sent;
        }

        int[] sentBy = await Task.WhenAll(Task.Run(() => DrainWith(first), Token), Task.Run(() => DrainWith(second), Token));

        TestContext.Current.TestOutputHelper?.WriteLine($"Sent by each dispatcher: {string.Join(", ", sentBy)}");
        Assert.Equal(count, sentBy.Sum());
        await Eventually.Until(() => host.Deliveries.All.Count >= count, $"{count} polls were delivered");
        await Task.Delay(200, Token);
        IReadOnlyCollection<Delivery> deliveries = host.Deliveries.All;
        Assert.Equal(count, deliveries.Count);
        Assert.Equal(payments.Order(), deliveries.Select(x => x.Message.PaymentId).Order());
        Assert.Equal(count, deliveries.Select(x => x.SchedulingTokenId).Distinct().Count());
    }

    [Fact]
    public async Task A_saga_reschedule_replaces_its_row()
    {
        database.SkipIfUnavailable();
        await using SchedulingTestHost host = await StartHost(new FakeTimeProvider(SchedulingTestHost.Start), configureBus: x =>
            x.AddSagaStateMachine<PollingStateMachine, PollingState>().InMemoryRepository().Endpoint(e => e.Name = PollingStateMachine.EndpointName));
        ISagaStateMachineTestHarness<PollingStateMachine, PollingState> saga =
            host.Harness.GetSagaStateMachineHarness<PollingStateMachine, PollingState>();
        var paymentId = Guid.NewGuid();

        await host.Harness.Bus.Publish(new PollingStarted(paymentId), Token);
        Assert.NotNull(await saga.Exists(paymentId, x => x.Waiting));
        Guid firstToken = Assert.Single(await database.ReadAllAsync()).TokenId;

        await host.Harness.Bus.Publish(new PollingRescheduled(paymentId), Token);
        await saga.Consumed.WaitForConsumed<PollingRescheduled>(x => x.PaymentId == paymentId);

        ScheduledMessage current = Assert.Single(await database.ReadAllAsync());
        Assert.NotEqual(firstToken, current.TokenId);
        Assert.Equal(saga.Sagas.Contains(paymentId)!.PollTokenId, current.TokenId);

        host.Clock.Advance(PollingStateMachine.PollDelay);
        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(Token));
        Assert.NotNull(await saga.Exists(paymentId, x => x.Idle));
        Assert.Equal(1, saga.Sagas.Contains(paymentId)!.PollsHandled);
    }

    private Task<SchedulingTestHost> StartHost(FakeTimeProvider clock, int batchSize = 100, Action<IBusRegistrationConfigurator>? configureBus = null) =>
        SchedulingTestHost.StartAsync(
            o =>
            {
                o.UseEntityFramework<SchedulingTestDbContext>();
                o.BatchSize = batchSize;
            },
            clock,
            services => services.AddDbContext<SchedulingTestDbContext>(database.UseIn),
            x =>
            {
                x.AddConsumer<TransactionalSchedulingConsumer>();
                configureBus?.Invoke(x);
            });

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
