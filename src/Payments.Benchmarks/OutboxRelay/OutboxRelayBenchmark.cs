using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Persistence;
using Payments.Persistence.Outbox;

namespace Payments.Benchmarks.OutboxRelay;

/// <summary>
/// Fills the OutboxMessage table through the bus outbox (one OutboxState per scope, as web requests would), then
/// times the relay (<see cref="BusOutboxDeliveryService{TDbContext}" />) delivering everything to the transport.
/// Runs in a database of its own, dropped at the end.
/// </summary>
public static class OutboxRelayBenchmark
{
    private const int FillWorkers = 4;
    private const int ScopesPerFillWorkerScope = 250;

    public static async Task<int> RunAsync(OutboxRelayOptions options)
    {
        var database = $"payments_bench_{Guid.NewGuid():N}"[..30];
        var serverConnectionString = options.ConnectionString;
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database, MaxPoolSize = 200 }.ConnectionString;

        await ExecuteOnServer(serverConnectionString, $"CREATE DATABASE \"{database}\"");
        try
        {
            await using var provider = BuildServices(options, connectionString);
            await using (var scope = provider.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>().Database.EnsureCreatedAsync();

            var bus = provider.GetRequiredService<IBusControl>();
            await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            try
            {
                return await Measure(options, provider);
            }
            finally
            {
                await bus.StopAsync();
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteOnServer(serverConnectionString, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task<int> Measure(OutboxRelayOptions options, ServiceProvider provider)
    {
        var transport = options.RabbitMq is { } rabbitMq ? $"RabbitMQ {rabbitMq}" : "in-memory transport";
        Console.WriteLine($"outbox-relay: {options.Messages} messages, {options.MessagesPerScope} per scope, {options.Relays} relay(s), "
            + $"batch {options.Batch}, concurrency {options.Concurrency}, {transport}");

        var fill = Stopwatch.StartNew();
        await Fill(provider, options);
        var stored = await Count(provider);
        Console.WriteLine($"  filled   {stored} OutboxMessage rows in {fill.Elapsed.TotalSeconds:F1} s");

        var counter = provider.GetRequiredService<DeliveryCounter>();
        var relays = Enumerable.Range(0, options.Relays)
            .Select(_ => ActivatorUtilities.CreateInstance<BusOutboxDeliveryService<BenchmarkDbContext>>(provider))
            .ToList();

        var relay = Stopwatch.StartNew();
        var delivered = (await Task.WhenAll(relays.Select(DrainAsync))).Sum();
        relay.Stop();
        var remaining = await Count(provider);

        var consumed = await WaitForConsumers(counter, options.Messages, TimeSpan.FromSeconds(120));
        var total = relay.Elapsed + consumed.Lag;

        Console.WriteLine($"  relayed  {delivered} messages in {relay.Elapsed.TotalSeconds:F2} s = {delivered / relay.Elapsed.TotalSeconds:F0} msg/s "
            + $"({remaining} rows left)");
        Console.WriteLine($"  consumed {counter.Distinct} distinct / {counter.Total} deliveries, all within {total.TotalSeconds:F2} s "
            + $"= {counter.Distinct / total.TotalSeconds:F0} msg/s end to end");

        var ok = delivered == options.Messages && remaining == 0 && counter.Distinct == options.Messages && counter.Total == options.Messages;
        if (!ok)
            Console.WriteLine("  FAILED: every message should be relayed and consumed exactly once");
        return ok ? 0 : 1;
    }

    private static async Task<int> DrainAsync(BusOutboxDeliveryService<BenchmarkDbContext> relay)
    {
        var delivered = 0;
        int batch;
        while ((batch = await relay.DeliverBatchAsync(CancellationToken.None)) > 0)
            delivered += batch;
        return delivered;
    }

    private static async Task Fill(IServiceProvider provider, OutboxRelayOptions options)
    {
        var scopes = (options.Messages + options.MessagesPerScope - 1) / options.MessagesPerScope;
        var chunks = Enumerable.Range(0, scopes).Chunk(ScopesPerFillWorkerScope);

        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = FillWorkers }, async (chunk, cancellationToken) =>
        {
            await using var scope = provider.CreateAsyncScope();
            var dbContext = scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>();
            var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

            foreach (var scopeNumber in chunk)
            {
                var first = scopeNumber * options.MessagesPerScope;
                for (var number = first; number < Math.Min(first + options.MessagesPerScope, options.Messages); number++)
                    await publishEndpoint.Publish(new RelayBenchmarkMessage(NewId.NextGuid(), number, "order-" + number), cancellationToken);

                // Each SaveChanges commits one bus outbox scope (one OutboxState), like one web request would.
                await dbContext.SaveChangesAsync(cancellationToken);
                dbContext.ChangeTracker.Clear();
            }
        });
    }

    private static async Task<(bool Complete, TimeSpan Lag)> WaitForConsumers(DeliveryCounter counter, int expected, TimeSpan timeout)
    {
        var lag = Stopwatch.StartNew();
        while (counter.Distinct < expected && lag.Elapsed < timeout)
            await Task.Delay(5);
        var elapsed = lag.Elapsed;

        // Let late duplicates, if any, arrive before counting.
        await Task.Delay(500);
        return (counter.Distinct >= expected, elapsed);
    }

    private static async Task<int> Count(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>().Set<OutboxMessage>().CountAsync();
    }

    private static ServiceProvider BuildServices(OutboxRelayOptions options, string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddDbContext<BenchmarkDbContext>(builder => builder.UseNpgsql(connectionString));
        services.AddSingleton<DeliveryCounter>();

        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();

            x.AddEntityFrameworkOutbox<BenchmarkDbContext>(outbox =>
            {
                outbox.UsePostgres();
                outbox.QueryMessageLimit = options.Batch;
                outbox.DeliveryConcurrency = options.Concurrency;
                outbox.DisableInboxCleanupService();
                outbox.DisableDeliveryService();
                outbox.UseBusOutbox(bus => bus.MessageDeliveryLimit = options.Batch * options.MessagesPerScope);
            });

            x.AddConsumer<RelayBenchmarkConsumer>().Endpoint(endpoint => endpoint.Name = "relay-benchmark");

            if (options.RabbitMq is { } rabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(rabbitMq.Host, rabbitMq.Port, "/", host =>
                    {
                        host.Username(rabbitMq.Username);
                        host.Password(rabbitMq.Password);
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });

        return services.BuildServiceProvider();
    }

    private static async Task ExecuteOnServer(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
