using System.Collections.Concurrent;

namespace Payments.SampleShop;

/// <summary>The shop's own orders: which payments it asked for, and which have an outcome.</summary>
public sealed class ShopOrders
{
    private readonly ConcurrentDictionary<Guid, string> _open = new();
    private readonly ConcurrentDictionary<Guid, string> _awaitingCustomer = new();
    private readonly TaskCompletionSource _allCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allSettledOrAwaitingCustomer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Opened(Guid paymentId, string order) => _open[paymentId] = order;

    public void AwaitingCustomer(Guid paymentId)
    {
        if (_open.TryGetValue(paymentId, out var order))
            _awaitingCustomer[paymentId] = order;
        CheckSettled();
    }

    public bool IsOurs(Guid paymentId) => _open.ContainsKey(paymentId);

    public void Completed(Guid paymentId)
    {
        _awaitingCustomer.TryRemove(paymentId, out _);
        if (_open.TryRemove(paymentId, out _) && _open.IsEmpty)
            _allCompleted.TrySetResult();
        CheckSettled();
    }

    private void CheckSettled()
    {
        if (_open.Keys.All(_awaitingCustomer.ContainsKey))
            _allSettledOrAwaitingCustomer.TrySetResult();
    }

    public IReadOnlyCollection<string> StillOpen => [.. _open.Values];

    public IReadOnlyCollection<string> AwaitingTheCustomer => [.. _awaitingCustomer.Values];

    public Task AllCompleted => _allCompleted.Task;

    /// <summary>Every order has its outcome, or waits only for its customer to finish 3-D Secure.</summary>
    public Task AllSettledOrAwaitingCustomer => _allSettledOrAwaitingCustomer.Task;
}
