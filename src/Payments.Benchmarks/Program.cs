using Payments.Benchmarks.Chaos;
using Payments.Benchmarks.EndToEnd;
using Payments.Benchmarks.OutboxRelay;

// dotnet run -c Release --project src/Payments.Benchmarks -- <mode> [options]
//   outbox-relay   delivery rate of the EF outbox relay (see OutboxRelayOptions for the options)
//   end-to-end     the processor on durable RabbitMQ and PostgreSQL beside their ceilings (docs/performance.md)
//   chaos          charges of every kind through kills, restarts, gateway faults and bad callbacks (docs/performance.md)

return args.FirstOrDefault() switch
{
    "outbox-relay" => await OutboxRelayBenchmark.RunAsync(OutboxRelayOptions.Parse(args.Skip(1).ToArray())),
    "end-to-end" => await EndToEndBenchmark.RunAsync(EndToEndOptions.Parse(args.Skip(1).ToArray())),
    "chaos" => await ChaosRun.RunAsync(ChaosOptions.Parse(args.Skip(1).ToArray())),
    _ => Usage()
};

static int Usage()
{
    Console.Error.WriteLine("usage: Payments.Benchmarks outbox-relay [--messages 20000] [--connection <npgsql connection string>]");
    Console.Error.WriteLine("                                        [--rabbitmq [user:password@]host[:port]] [--relays 1] [--batch 1000]");
    Console.Error.WriteLine("                                        [--concurrency 64] [--messages-per-scope 1]");
    Console.Error.WriteLine(EndToEndOptions.Usage);
    Console.Error.WriteLine(ChaosOptions.Usage);
    return 2;
}
