using System.Net.Mime;
using MassTransit;
using MassTransit.Context;

namespace Payments.Persistence.Outbox;

/// <summary>
/// Sends an <see cref="OutboxMessage" /> exactly as it was stored: the stored envelope becomes the body as is and the
/// stored headers and properties go back on the send context. MassTransit's OutboxMessageSendPipe parses the
/// envelope and serializes it again; skipping that is most of the relay's per-message CPU.
/// </summary>
public sealed class StoredMessageSendPipe : IPipe<SendContext>
{
    private readonly OutboxMessage _message;
    private readonly DateTime _now;

    public StoredMessageSendPipe(OutboxMessage message, DateTime now)
    {
        _message = message;
        _now = now;
    }

    public Task Send(SendContext context)
    {
        MessageContext stored = _message;

        context.MessageId = _message.MessageId;
        context.RequestId = _message.RequestId;
        context.ConversationId = _message.ConversationId;
        context.CorrelationId = _message.CorrelationId;
        context.InitiatorId = _message.InitiatorId;
        context.SourceAddress = _message.SourceAddress;
        context.ResponseAddress = _message.ResponseAddress;
        context.FaultAddress = _message.FaultAddress;
        if (!string.IsNullOrWhiteSpace(_message.MessageType))
            context.SupportedMessageTypes = _message.MessageType.Split(';');

        if (_message.ExpirationTime is { } expirationTime)
        {
            var remaining = expirationTime - _now;
            context.TimeToLive = remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1);
        }

        foreach (var header in stored.Headers.GetAll())
            context.Headers.Set(header.Key, header.Value);

        IReadOnlyDictionary<string, object> properties = ((MassTransit.Middleware.OutboxMessageContext)_message).Properties;
        if (properties.Count > 0 && context is TransportSendContext transportSendContext)
            transportSendContext.ReadPropertiesFrom(properties);

        context.Serializer = new StoredBodySerializer(new ContentType(_message.ContentType), _message.Body);

        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context)
    {
    }


    private sealed class StoredBodySerializer(ContentType contentType, string body) : IMessageSerializer
    {
        public ContentType ContentType { get; } = contentType;

        public MessageBody GetMessageBody<T>(SendContext<T> context)
            where T : class
        {
            return new StringMessageBody(body);
        }
    }
}
