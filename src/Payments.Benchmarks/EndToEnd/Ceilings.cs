using System.Diagnostics;
using Npgsql;
using RabbitMQ.Client;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>
/// What the broker and the database manage on their own on this machine, measured in the same run as the processor so
/// the ratios compare like with like.
/// </summary>
public static class Ceilings
{
    public const int MessageBytes = 600;
    public const int DatabaseClients = 32;
    private const int BrokerChannels = 4;
    private const int PublishesInFlightPerChannel = 128;

    /// <summary>Persistent 600-byte messages to a durable queue, each awaited until the broker confirms it; messages/s.</summary>
    public static async Task<double> BrokerAsync(TestServices services, TimeSpan duration)
    {
        var factory = new ConnectionFactory
        {
            HostName = services.RabbitMqHost,
            Port = services.RabbitMqPort,
            VirtualHost = services.VirtualHost,
            UserName = "guest",
            Password = "guest",
        };
        await using var connection = await factory.CreateConnectionAsync();
        var queue = "ceiling-" + Guid.NewGuid().ToString("N")[..8];
        await using (var setup = await connection.CreateChannelAsync())
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);

        var body = new byte[MessageBytes];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true };
        var confirmed = 0L;
        var clock = Stopwatch.StartNew();

        async Task PublishOnChannelAsync()
        {
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var inFlight = Enumerable.Range(0, PublishesInFlightPerChannel).Select(async _ =>
            {
                while (clock.Elapsed < duration)
                {
                    // With confirmation tracking on, the publish completes when the broker has confirmed it.
                    await channel.BasicPublishAsync("", queue, mandatory: false, properties, body);
                    Interlocked.Increment(ref confirmed);
                }
            });
            await Task.WhenAll(inFlight);
        }

        await Task.WhenAll(Enumerable.Range(0, BrokerChannels).Select(_ => PublishOnChannelAsync()));
        var elapsed = clock.Elapsed;

        await using (var cleanup = await connection.CreateChannelAsync())
            await cleanup.QueueDeleteAsync(queue);
        return confirmed / elapsed.TotalSeconds;
    }

    /// <summary>One-row INSERT transactions (autocommit, prepared) from 32 clients; transactions/s.</summary>
    public static async Task<double> DatabaseAsync(TestServices services, TimeSpan duration)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(services.ConnectionString) { MaxPoolSize = DatabaseClients + 4 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand(
            "CREATE TABLE ceiling (id bigserial PRIMARY KEY, payment_id uuid NOT NULL, payload text NOT NULL)"))
            await create.ExecuteNonQueryAsync();

        var payload = new string('x', 200);
        var committed = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, DatabaseClients).Select(async _ =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO ceiling (payment_id, payload) VALUES ($1, $2)", connection);
            insert.Parameters.Add(new NpgsqlParameter<Guid>());
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
            await insert.PrepareAsync();
            while (clock.Elapsed < duration)
            {
                ((NpgsqlParameter<Guid>)insert.Parameters[0]).TypedValue = Guid.NewGuid();
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref committed);
            }
        }));
        var elapsed = clock.Elapsed;

        await using (var drop = dataSource.CreateCommand("DROP TABLE ceiling"))
            await drop.ExecuteNonQueryAsync();
        return committed / elapsed.TotalSeconds;
    }
}
