using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Payments.Persistence.Outbox;

/// <summary>
/// A message sent or published inside a transaction, stored until it reaches the transport. Either
/// InboxMessageId/InboxConsumerId (written by a consumer) or OutboxId (written through the bus outbox) is set.
/// </summary>
public class OutboxMessage : OutboxMessageContext
{
    private static readonly IReadOnlyDictionary<string, object> NoProperties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

    private Headers? _headers;
    private IReadOnlyDictionary<string, object>? _properties;

    /// <summary>Insert order; delivery follows it within an inbox message or outbox scope.</summary>
    public long SequenceNumber { get; set; }

    /// <summary>When the message should become visible (a send with a delay).</summary>
    public DateTime? EnqueueTime { get; set; }

    public DateTime SentTime { get; set; }

    /// <summary>Message headers as JSON.</summary>
    public string? Headers { get; set; }

    /// <summary>Transport-specific send properties (routing key, priority, ...) as JSON.</summary>
    public string? Properties { get; set; }

    public Guid? InboxMessageId { get; set; }

    public Guid? InboxConsumerId { get; set; }

    public Guid? OutboxId { get; set; }

    public Guid MessageId { get; set; }

    public string ContentType { get; set; } = null!;

    /// <summary>The message's supported type URNs, separated by ';'.</summary>
    public string MessageType { get; set; } = null!;

    /// <summary>The serialized envelope, exactly as it will be sent.</summary>
    public string Body { get; set; } = null!;

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public Uri? SourceAddress { get; set; }

    public Uri? DestinationAddress { get; set; }

    public Uri? ResponseAddress { get; set; }

    public Uri? FaultAddress { get; set; }

    public DateTime? ExpirationTime { get; set; }

    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => SentTime;
    Headers MessageContext.Headers => _headers ?? EmptyHeaders.Instance;
    HostInfo MessageContext.Host => HostMetadataCache.Host;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ?? NoProperties;

    /// <summary>Reads <see cref="Headers" /> and <see cref="Properties" /> back before the message is sent.</summary>
    public void Deserialize(IObjectDeserializer deserializer)
    {
        _headers = string.IsNullOrWhiteSpace(Headers)
            ? EmptyHeaders.Instance
            : deserializer.DeserializeObject<Dictionary<string, object?>>(Headers) is { Count: > 0 } headers
                ? new DictionarySendHeaders(headers)
                : EmptyHeaders.Instance;

        _properties = string.IsNullOrWhiteSpace(Properties)
            ? NoProperties
            : deserializer.DeserializeObject<Dictionary<string, object>>(Properties) ?? NoProperties;
    }
}
