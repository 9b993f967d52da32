using System.Text.Json;
using MassTransit;

namespace Payments.Persistence.Scheduling;

/// <summary>Turns a prepared send context into a <see cref="ScheduledMessage"/> row, and its headers back.</summary>
internal static class ScheduledMessageSerializer
{
    public static ScheduledMessage ToScheduledMessage<T>(SendContext<T> send, Guid tokenId, DateTimeOffset dueAt, DateTimeOffset createdAt)
        where T : class
    {
        IMessageSerializer serializer = send.Serializer;
        string body = serializer.GetMessageBody(send).GetString();

        return new ScheduledMessage
        {
            TokenId = tokenId,
            MessageId = send.MessageId ?? NewId.NextGuid(),
            CorrelationId = send.CorrelationId,
            DestinationAddress = send.DestinationAddress!.ToString(),
            MessageType = string.Join(';', send.SupportedMessageTypes is { Length: > 0 } types ? types : MessageTypeCache<T>.MessageTypeNames),
            ContentType = serializer.ContentType.ToString(),
            Body = body,
            Headers = WriteHeaders(send.Headers),
            DueAt = dueAt,
            CreatedAt = createdAt,
        };
    }

    public static IEnumerable<KeyValuePair<string, object>> ReadHeaders(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            yield break;
        }

        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonProperty header in document.RootElement.EnumerateObject())
        {
            object? value = header.Value.ValueKind switch
            {
                JsonValueKind.String => header.Value.GetString(),
                JsonValueKind.Number when header.Value.TryGetInt64(out long whole) => whole,
                JsonValueKind.Number => header.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => header.Value.GetRawText(),
            };

            if (value is not null)
            {
                yield return new KeyValuePair<string, object>(header.Name, value);
            }
        }
    }

    private static string? WriteHeaders(SendHeaders headers)
    {
        Dictionary<string, object> kept = headers.GetAll()
            .Where(x => x.Value is not null && x.Key != MessageHeaders.SchedulingTokenId)
            .GroupBy(x => x.Key)
            .ToDictionary(x => x.Key, x => x.Last().Value);

        return kept.Count == 0 ? null : JsonSerializer.Serialize(kept);
    }
}
