using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;

namespace Payments.Persistence.Outbox;

/// <summary>
/// The delivery pass of a message that was just consumed and committed: its outgoing messages are still in memory, so
/// they go to the transport without a second transaction or row lock. Marking the inbox row delivered and removing its
/// outbox rows is handed to <see cref="InboxDeliveryCompletions{TDbContext}" />, which does it for many messages in one
/// commit. Should the process stop before that commit, the relay delivers the rows again (at least once, as ever).
/// </summary>
public sealed class InlineDeliveryOutboxConsumeContext<TDbContext, TMessage> : OutboxConsumeContextProxy<TMessage>
    where TDbContext : Microsoft.EntityFrameworkCore.DbContext
    where TMessage : class
{
    private readonly InboxDeliveryCompletions<TDbContext> _completions;
    private readonly Guid _inboxMessageId;
    private readonly IReadOnlyList<OutboxMessage> _messages;
    private readonly int _receiveCount;
    private long? _lastSequenceNumber;

    public InlineDeliveryOutboxConsumeContext(ConsumeContext<TMessage> context, OutboxConsumeOptions options, IServiceProvider provider,
        InboxState inboxState, IReadOnlyList<OutboxMessage> messages, InboxDeliveryCompletions<TDbContext> completions)
        : base(context, options, provider)
    {
        _inboxMessageId = inboxState.MessageId;
        _receiveCount = inboxState.ReceiveCount;
        _lastSequenceNumber = inboxState.LastSequenceNumber;
        _messages = messages;
        _completions = completions;
    }

    public override Guid? MessageId => _inboxMessageId;

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => true;

    public override bool IsOutboxDelivered => false;

    public override int ReceiveCount => _receiveCount;

    public override long? LastSequenceNumber => _lastSequenceNumber;

    public override Task SetConsumed() =>
        throw new InvalidOperationException($"Message {_inboxMessageId} was consumed in the previous pass");

    public override Task SetDelivered()
    {
        _completions.Complete(_inboxMessageId, ConsumerId);
        ContinueProcessing = false;
        return Task.CompletedTask;
    }

    public override Task<List<OutboxMessageContext>> LoadOutboxMessages()
    {
        foreach (var message in _messages)
            message.Deserialize(SerializerContext);

        return Task.FromResult(_messages.OrderBy(x => x.SequenceNumber).Cast<OutboxMessageContext>().ToList());
    }

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message)
    {
        _lastSequenceNumber = message.SequenceNumber;
        return Task.CompletedTask;
    }

    /// <summary>The rows go with the batched completion.</summary>
    public override Task RemoveOutboxMessages() => Task.CompletedTask;

    public override Task AddSend<T>(SendContext<T> context) =>
        throw new InvalidOperationException($"Nothing is sent while delivering the messages of {_inboxMessageId}");
}
