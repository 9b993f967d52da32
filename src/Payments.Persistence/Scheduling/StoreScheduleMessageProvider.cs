using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;
using MassTransit.Serialization;

namespace Payments.Persistence.Scheduling;

/// <summary>
/// MassTransit's schedule provider backed by an <see cref="IScheduledMessageStore"/>: the message is serialized now, as
/// MassTransit would send it, and <see cref="ScheduledMessageDispatcher"/> sends it when it is due, with the same
/// message id and the scheduling token in the <c>MT-Scheduling-TokenId</c> header.
/// </summary>
public sealed class StoreScheduleMessageProvider : IScheduleMessageProvider
{
    private readonly IScheduledMessageStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ConsumeContext? _consumeContext;
    private readonly ScheduledMessageSignal? _signal;

    /// <param name="consumeContext">
    /// The message being consumed, when scheduling from a consumer or saga: its conversation, initiator and source
    /// address flow to the scheduled message as they would on a direct send.
    /// </param>
    public StoreScheduleMessageProvider(IScheduledMessageStore store, TimeProvider timeProvider, ConsumeContext? consumeContext = null)
        : this(store, timeProvider, consumeContext, signal: null)
    {
    }

    internal StoreScheduleMessageProvider(IScheduledMessageStore store, TimeProvider timeProvider, ConsumeContext? consumeContext,
        ScheduledMessageSignal? signal)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _consumeContext = consumeContext;
        _signal = signal;
    }

    public async Task<MassTransit.ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message,
        IPipe<SendContext<T>> pipe, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(destinationAddress);
        ArgumentNullException.ThrowIfNull(message);
        if (!MessageTypeCache<T>.IsValidMessageType)
        {
            throw new ArgumentException(MessageTypeCache<T>.InvalidMessageTypeReason, nameof(message));
        }

        MessageSendContext<T> send = await PrepareSendContext(destinationAddress, message, pipe, cancellationToken).ConfigureAwait(false);

        Guid tokenId = send.ScheduledMessageId ?? ScheduleTokenIdCache<T>.GetTokenId(message);
        DateTimeOffset dueAt = ToUtc(scheduledTime);

        await _store.AddAsync(ScheduledMessageSerializer.ToScheduledMessage(send, tokenId, dueAt, _timeProvider.GetUtcNow()), cancellationToken)
            .ConfigureAwait(false);

        _signal?.Notify(dueAt);

        return new ScheduledMessageHandle<T>(tokenId, scheduledTime, destinationAddress, message);
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) =>
        _store.CancelAsync(tokenId, cancellationToken);

    // Token ids are unique across destinations, so the address adds nothing.
    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
        _store.CancelAsync(tokenId, cancellationToken);

    private async Task<MessageSendContext<T>> PrepareSendContext<T>(Uri destinationAddress, T message, IPipe<SendContext<T>>? pipe,
        CancellationToken cancellationToken)
        where T : class
    {
        var send = new MessageSendContext<T>(message, cancellationToken)
        {
            DestinationAddress = destinationAddress,
            ScheduledMessageId = ScheduleTokenIdCache<T>.GetTokenId(message),
            Serializer = SystemTextJsonMessageSerializer.Instance,
        };
        send.MessageId ??= NewId.NextGuid();

        if (message is CorrelatedBy<Guid> correlated)
        {
            send.CorrelationId = correlated.CorrelationId;
        }

        if (_consumeContext is not null)
        {
            send.TransferConsumeContextHeaders(_consumeContext);
            // The scheduled message continues the trace it was scheduled in: a payment's polls stay in its trace.
            if (System.Diagnostics.Activity.Current?.Id is { } traceParent)
                send.Headers.Set(MassTransit.Logging.DiagnosticHeaders.ActivityId, traceParent);
            send.SourceAddress = _consumeContext.ReceiveContext.InputAddress;
        }

        if (pipe is not null && pipe.IsNotEmpty())
        {
            await pipe.Send(send).ConfigureAwait(false);
        }

        return send;
    }

    private static DateTimeOffset ToUtc(DateTime scheduledTime) => scheduledTime.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(scheduledTime.ToUniversalTime(), TimeSpan.Zero),
        // MassTransit treats an unspecified kind as UTC.
        _ => new DateTimeOffset(DateTime.SpecifyKind(scheduledTime, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
