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

    /// <summary>What arrived besides the message: the context values the outbox must carry across.</summary>
    public ConcurrentDictionary<Guid, DeliveredContext> Contexts { get; } = new();

    public void Record(ConsumeContext context, object message)
    {
        var messageId = context.MessageId!.Value;
        Deliveries.AddOrUpdate(messageId, 1, (_, count) => count + 1);
        Contexts[messageId] = new DeliveredContext(context.CorrelationId, context.ConversationId, context.Headers.Get<string>(TestHeader));
        Messages.Enqueue(message);
    }

    public const string TestHeader = "Payments-Test";

    public IEnumerable<T> Of<T>() => Messages.OfType<T>();

    public Task WaitFor(Func<DeliveryLog, bool> condition, string what, TimeSpan? timeout = null)
    {
        return Eventually.Until(() => condition(this), what, timeout);
    }
}


public sealed record DeliveredContext(Guid? CorrelationId, Guid? ConversationId, string? TestHeader);


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

    private Task Record<T>(ConsumeContext<T> context)
        where T : class
    {
        log.Record(context, context.Message);
        return Task.CompletedTask;
    }
}
