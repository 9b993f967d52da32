using System.Collections.Concurrent;
using MassTransit;

namespace Payments.Persistence.Tests.Scheduling;

public sealed record PollDue(Guid PaymentId, int Attempt);

public sealed record StartPolling(Guid PaymentId, DateTime DueAt);

/// <summary>What the probe endpoint received, keyed by scheduling token.</summary>
public sealed class Deliveries
{
    private readonly ConcurrentQueue<Delivery> _received = new();

    public IReadOnlyCollection<Delivery> All => _received.ToArray();

    public void Record(ConsumeContext<PollDue> context) => _received.Enqueue(new Delivery(
        context.Message,
        context.MessageId,
        context.GetSchedulingTokenId(),
        context.Headers.Get<string>(MessageHeaders.SchedulingTokenId),
        context.Headers.Get<string>("X-Payment-Reference"),
        context.ConversationId,
        context.InitiatorId,
        context.SourceAddress));

    public async Task<Delivery> WaitForOne(Func<Delivery, bool> match, TimeSpan? timeout = null)
    {
        Delivery? found = null;
        await Eventually.Until(() => (found = _received.FirstOrDefault(match)) is not null, "the probe received the poll", timeout);
        return found!;
    }
}

public sealed record Delivery(
    PollDue Message,
    Guid? MessageId,
    Guid? SchedulingTokenId,
    string? RawTokenHeader,
    string? PaymentReferenceHeader,
    Guid? ConversationId,
    Guid? InitiatorId,
    Uri? SourceAddress);

/// <summary>Receives polls, and on <see cref="StartPolling"/> schedules one to itself through the consume context.</summary>
public sealed class PollProbeConsumer(Deliveries deliveries) : IConsumer<PollDue>, IConsumer<StartPolling>
{
    public const string EndpointName = "scheduling-probe";

    public static Uri Address { get; } = new($"queue:{EndpointName}");

    public Task Consume(ConsumeContext<PollDue> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<StartPolling> context) =>
        context.ScheduleSend(context.Message.DueAt, new PollDue(context.Message.PaymentId, 1), context.CancellationToken);
}
