using System.Collections.Concurrent;
using MassTransit;

namespace Payments.Benchmarks.OutboxRelay;

/// <summary>Counts deliveries per message id, so duplicates show up.</summary>
public sealed class DeliveryCounter
{
    private readonly ConcurrentDictionary<Guid, int> _deliveries = new();
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public int Distinct => _deliveries.Count;

    public void Record(Guid id)
    {
        _deliveries.AddOrUpdate(id, 1, (_, count) => count + 1);
        Interlocked.Increment(ref _total);
    }
}


public sealed class RelayBenchmarkConsumer(DeliveryCounter counter) : IConsumer<RelayBenchmarkMessage>
{
    public Task Consume(ConsumeContext<RelayBenchmarkMessage> context)
    {
        counter.Record(context.Message.Id);
        return Task.CompletedTask;
    }
}
