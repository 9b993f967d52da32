using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Payments.Persistence.Scheduling;
using Xunit;
using ScheduledMessage = Payments.Persistence.Scheduling.ScheduledMessage;

namespace Payments.Persistence.Tests.Scheduling;

public sealed record ScheduleThroughOutbox(Guid PaymentId, DateTime DueAt, bool FailAfterScheduling);

public sealed class OutboxSchedulingConsumer : IConsumer<ScheduleThroughOutbox>
{
    public async Task Consume(ConsumeContext<ScheduleThroughOutbox> context)
    {
        await context.ScheduleSend(PollProbeConsumer.Address, context.Message.DueAt, new PollDue(context.Message.PaymentId, 1), context.CancellationToken);

        if (context.Message.FailAfterScheduling)
        {
            throw new InvalidOperationException("The consumer failed after scheduling; the outbox transaction rolls back.");
        }
    }
}

/// <summary>The scheduler and the EF transactional outbox share the consume scope's DbContext and its transaction.</summary>
public sealed class SchedulingInOutboxTests(PostgresOutboxSchedulingDatabase database)
    : IClassFixture<PostgresOutboxSchedulingDatabase>, IAsyncLifetime
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
    public async Task A_schedule_commits_with_the_outbox_transaction_and_rolls_back_with_it()
    {
        database.SkipIfUnavailable();
        await using SchedulingTestHost host = await SchedulingTestHost.StartAsync(
            o => o.UseEntityFramework<OutboxSchedulingDbContext>(),
            configureServices: services => services.AddDbContext<OutboxSchedulingDbContext>(database.UseIn),
            configureBus: x =>
            {
                x.AddEntityFrameworkOutbox<OutboxSchedulingDbContext>(o => o.UsePostgres());
                x.AddConsumer<OutboxSchedulingConsumer>();
                x.AddConfigureEndpointsCallback((context, _, endpoint) => endpoint.UseEntityFrameworkOutbox<OutboxSchedulingDbContext>(context));
            });
        var committed = Guid.NewGuid();
        var rolledBack = Guid.NewGuid();
        DateTime dueAt = host.Clock.GetUtcNow().UtcDateTime.AddMinutes(1);

        await host.Harness.Bus.Publish(new ScheduleThroughOutbox(rolledBack, dueAt, FailAfterScheduling: true), Token);
        await host.Harness.Bus.Publish(new ScheduleThroughOutbox(committed, dueAt, FailAfterScheduling: false), Token);

        await host.Harness.Published.WaitForPublished<Fault<ScheduleThroughOutbox>>(x => x.Message.PaymentId == rolledBack);
        await host.Harness.Consumed.WaitForConsumed<ScheduleThroughOutbox>(x => x.PaymentId == committed);
        // The outbox commits just after the consumer returns.
        await Eventually.Until(async () => (await database.ReadAllAsync()).Count > 0, "a scheduled message is stored");
        ScheduledMessage stored = Assert.Single(await database.ReadAllAsync());
        Assert.Contains(committed.ToString(), stored.Body);

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await host.Dispatcher.DispatchDueAsync(Token));
        await host.Deliveries.WaitForOne(x => x.Message.PaymentId == committed);
        Assert.DoesNotContain(host.Deliveries.All, x => x.Message.PaymentId == rolledBack);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;
}
