using MassTransit;
using MassTransit.Context;
using Microsoft.EntityFrameworkCore;

namespace Payments.Persistence.Outbox;

public static class OutboxMessageSetExtensions
{
    /// <summary>
    /// Turns a send (or publish) captured by the outbox into an <see cref="OutboxMessage" /> row in the
    /// DbContext; it is written with the caller's next SaveChanges.
    /// </summary>
    public static OutboxMessage AddSend<T>(this DbSet<OutboxMessage> messages, SendContext<T> context, IObjectDeserializer serializer,
        DateTime now, Guid? inboxMessageId = null, Guid? inboxConsumerId = null, Guid? outboxId = null)
        where T : class
    {
        if (context.MessageId is not { } messageId)
            throw new MessageException(typeof(T), "The SendContext MessageId must be present to store the message in the outbox");

        var message = new OutboxMessage
        {
            MessageId = messageId,
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime ?? now,
            ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            Headers = serializer.SerializeDictionary(context.Headers.GetAll()),
            InboxMessageId = inboxMessageId,
            InboxConsumerId = inboxConsumerId,
            OutboxId = outboxId,
            ExpirationTime = now + context.TimeToLive,
            EnqueueTime = now + context.Delay
        };

        if (context is TransportSendContext<T> transportSendContext)
        {
            var properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportSendContext.WritePropertiesTo(properties);
            message.Properties = serializer.SerializeDictionary(properties);
        }

        // Sends from one consumer may run concurrently; the change tracker is not thread-safe.
        lock (messages)
            messages.Add(message);

        return message;
    }
}
