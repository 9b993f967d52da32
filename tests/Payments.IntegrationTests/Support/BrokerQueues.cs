using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Payments.IntegrationTests.Support;

/// <summary>A message as it rests in a queue: its body and headers as text, read with BasicGet (no management plugin).</summary>
public sealed record RestingMessage(string Queue, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Everything the broker keeps of it, for "no card data anywhere" assertions.</summary>
    public string Everything => Body + "\n" + string.Join("\n", Headers.Select(h => $"{h.Key}: {h.Value}"));
}

/// <summary>Direct access to a fixture's virtual host on the test broker.</summary>
public sealed class BrokerQueues : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private BrokerQueues(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<BrokerQueues> Open(string virtualHost)
    {
        var (host, port) = TestServices.RabbitMq;
        var factory = new ConnectionFactory { HostName = host, Port = port, VirtualHost = virtualHost, UserName = "guest", Password = "guest" };
        var connection = await factory.CreateConnectionAsync();
        return new BrokerQueues(connection, await connection.CreateChannelAsync());
    }

    public IChannel Channel => _channel;

    /// <summary>Takes every message now in the queue off it.</summary>
    public async Task<IReadOnlyList<RestingMessage>> Drain(string queue)
    {
        var messages = new List<RestingMessage>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            var headers = (result.BasicProperties.Headers ?? new Dictionary<string, object?>())
                .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(h.Value, CultureInfo.InvariantCulture) ?? "");
            messages.Add(new RestingMessage(queue, Encoding.UTF8.GetString(result.Body.Span), headers));
        }
        return messages;
    }

    /// <summary>Drains the queues until a message matching <paramref name="match"/> has come; returns everything taken.</summary>
    public async Task<IReadOnlyList<RestingMessage>> DrainUntil(Func<RestingMessage, bool> match, TimeSpan timeout, params string[] queues)
    {
        var taken = new List<RestingMessage>();
        var deadline = DateTime.UtcNow + timeout;
        while (!taken.Any(match) && DateTime.UtcNow < deadline)
        {
            foreach (var queue in queues)
                taken.AddRange(await Drain(queue));
            if (!taken.Any(match))
                await Task.Delay(100);
        }
        return taken;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
