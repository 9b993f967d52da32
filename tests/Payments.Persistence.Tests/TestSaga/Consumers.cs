using System.Collections.Concurrent;
using MassTransit;
using Payments.Persistence.Tests.Infrastructure;

namespace Payments.Persistence.Tests.TestSaga;

/// <summary>Writes an entity and publishes; optionally fails afterwards.</summary>
public sealed class LedgerConsumer(TestDbContext dbContext) : IConsumer<RecordLedgerEntry>
{
    public async Task Consume(ConsumeContext<RecordLedgerEntry> context)
    {
        dbContext.Ledger.Add(new LedgerEntry { Id = context.Message.Id, Amount = context.Message.Amount });

        await context.Publish(new LedgerEntryRecorded(context.Message.Id));

        if (context.Message.FailAfterPublishing)
            throw new InvalidOperationException("Failed after publishing, on purpose");
    }
}


/// <summary>Counts every delivery of the messages the tests expect to come out of the outbox.</summary>
public sealed class DeliveryLog
{
    public ConcurrentDictionary<Guid, int> Deliveries { get; } = new();

    public ConcurrentQueue<object> Messages { get; } = new();

    public void Record(Guid messageId, object message)
    {
        Deliveries.AddOrUpdate(messageId, 1, (_, count) => count + 1);
        Messages.Enqueue(message);
    }

    public IEnumerable<T> Of<T>() => Messages.OfType<T>();

    public async Task WaitFor(Func<DeliveryLog, bool> condition, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (!condition(this))
            await Task.Delay(20, cancellation.Token);
    }
}


public sealed class DeliveryLogConsumer(DeliveryLog log) :
    IConsumer<TestSagaStarted>,
    IConsumer<TestSagaIncremented>,
    IConsumer<LedgerEntryRecorded>,
    IConsumer<BusOutboxMessage>
{
    public Task Consume(ConsumeContext<TestSagaStarted> context) => Record(context);

    public Task Consume(ConsumeContext<TestSagaIncremented> context) => Record(context);

    public Task Consume(ConsumeContext<LedgerEntryRecorded> context) => Record(context);

    public Task Consume(ConsumeContext<BusOutboxMessage> context) => Record(context);

    Task Record<T>(ConsumeContext<T> context)
        where T : class
    {
        log.Record(context.MessageId!.Value, context.Message);
        return Task.CompletedTask;
    }
}
