namespace Payments.Persistence.Scheduling;

/// <summary>
/// A message waiting to be sent at <see cref="DueAt"/>. The body is the message exactly as MassTransit serializes it
/// (its JSON envelope), so whatever is scheduled is stored at rest: never schedule a message that carries card data.
/// </summary>
/// <remarks>
/// Not to be confused with MassTransit's <c>MassTransit.ScheduledMessage</c> handle interface; qualify one of them where
/// both namespaces are imported.
/// </remarks>
public class ScheduledMessage
{
    /// <summary>The scheduling token: the saga's schedule token and the <c>MT-Scheduling-TokenId</c> header on delivery.</summary>
    public Guid TokenId { get; set; }

    /// <summary>The message id the message is delivered with.</summary>
    public Guid MessageId { get; set; }

    public Guid? CorrelationId { get; set; }

    public string DestinationAddress { get; set; } = string.Empty;

    /// <summary>The message type URNs, separated by <c>;</c>, most specific first.</summary>
    public string MessageType { get; set; } = string.Empty;

    public string ContentType { get; set; } = string.Empty;

    /// <summary>The serialized message (the envelope, for MassTransit's JSON content type).</summary>
    public string Body { get; set; } = string.Empty;

    /// <summary>The send headers as a JSON object, applied again when the message is sent.</summary>
    public string? Headers { get; set; }

    /// <summary>When the message is due, in UTC.</summary>
    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
