using System.Net.Mime;
using MassTransit;

namespace Payments.Persistence.Scheduling;

/// <summary>
/// Sends a stored message as it was serialized when scheduled: same envelope, same message id, same headers, plus the
/// scheduling token header the state machine matches against its current token.
/// </summary>
internal sealed class ScheduledMessageSendPipe(ScheduledMessage message, DateTimeOffset now) : IPipe<SendContext>
{
    public Task Send(SendContext context)
    {
        IMessageDeserializer deserializer = context.Serialization.GetMessageDeserializer(new ContentType(message.ContentType));
        MessageBody body = deserializer.GetMessageBody(message.Body);
        SerializerContext stored = deserializer.Deserialize(body, context.Headers, new Uri(message.DestinationAddress));

        context.MessageId = message.MessageId;
        context.CorrelationId = stored.CorrelationId ?? message.CorrelationId;
        context.RequestId = stored.RequestId;
        context.ConversationId = stored.ConversationId;
        context.InitiatorId = stored.InitiatorId;
        context.ResponseAddress = stored.ResponseAddress;
        context.FaultAddress = stored.FaultAddress;
        if (stored.SourceAddress is not null)
        {
            context.SourceAddress = stored.SourceAddress;
        }

        if (stored.ExpirationTime is { } expiresAt && expiresAt.ToUniversalTime() > now.UtcDateTime)
        {
            context.TimeToLive = expiresAt.ToUniversalTime() - now.UtcDateTime;
        }

        foreach (KeyValuePair<string, object> header in ScheduledMessageSerializer.ReadHeaders(message.Headers))
        {
            context.Headers.Set(header.Key, header.Value);
        }

        context.ScheduledMessageId = message.TokenId;
        context.Headers.Set(MessageHeaders.SchedulingTokenId, message.TokenId.ToString("N"));

        context.Serializer = stored.GetMessageSerializer();

        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context)
    {
        ProbeContext scope = context.CreateScope("scheduledMessage");
        scope.Add("tokenId", message.TokenId);
    }
}
