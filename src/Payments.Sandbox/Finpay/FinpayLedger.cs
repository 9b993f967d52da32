namespace Payments.Sandbox.Finpay;

public static class FinpayStatus
{
    public const string Paid = "PAID";
    public const string Failed = "FAILED";
}

/// <summary>One charge as the simulated Finpay recorded it. Holds a masked card number only.</summary>
public sealed record FinpayLedgerEntry(
    string OrderId,
    string PaymentId,
    string CustomerId,
    long Amount,
    string Currency,
    string Status,
    string ResponseCode,
    string ResponseMessage,
    string? AuthorizationCode,
    string CardMasked,
    DateTimeOffset CreatedAt,
    int PaymentRequests,
    int CallbacksDelivered,
    int CallbacksFailed);

/// <summary>
/// Every charge the simulated Finpay processed, by order.id, so tests (GET /finpay/_sandbox/ledger or this singleton)
/// can check that nothing was charged twice. An order.id is recorded once; <see cref="FinpayLedgerEntry.PaymentRequests"/>
/// counts every authenticated, valid POST that carried it, duplicates (refused with 4090001) included.
/// </summary>
public sealed class FinpayLedger
{
    private readonly Lock _gate = new();
    private readonly List<FinpayLedgerEntry> _entriesInOrder = [];
    private readonly Dictionary<string, int> _positionByOrderId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _positionByPaymentId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _requestsByOrderId = new(StringComparer.Ordinal);
    private int _orderIdsRequestedMoreThanOnce;

    public IReadOnlyList<FinpayLedgerEntry> Entries
    {
        get
        {
            lock (_gate)
                return _entriesInOrder.Select(WithCounts).ToList();
        }
    }

    /// <summary>How many charges the ledger holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _entriesInOrder.Count;
        }
    }

    /// <summary>Order ids that valid charge POSTs carried more than once (each refused with 4090001 after the first).</summary>
    public int OrderIdsRequestedMoreThanOnce
    {
        get
        {
            lock (_gate)
                return _orderIdsRequestedMoreThanOnce;
        }
    }

    public FinpayLedgerEntry? Find(string orderId)
    {
        lock (_gate)
            return _positionByOrderId.TryGetValue(orderId, out var position) ? WithCounts(_entriesInOrder[position]) : null;
    }

    /// <summary>The entry for the payment id Finpay answered with; null when unknown.</summary>
    public FinpayLedgerEntry? FindByPaymentId(string paymentId)
    {
        lock (_gate)
            return _positionByPaymentId.TryGetValue(paymentId, out var position) ? WithCounts(_entriesInOrder[position]) : null;
    }

    /// <summary>Valid charge POSTs that carried this order.id (0 or 1, unless a client sent a charge twice).</summary>
    public int PaymentRequestsFor(string orderId)
    {
        lock (_gate)
            return _requestsByOrderId.GetValueOrDefault(orderId);
    }

    /// <summary>Records a charge; returns false (recording nothing but the attempt) when its order.id is taken.</summary>
    internal bool TryAdd(FinpayLedgerEntry entry)
    {
        lock (_gate)
        {
            var requests = _requestsByOrderId.GetValueOrDefault(entry.OrderId) + 1;
            _requestsByOrderId[entry.OrderId] = requests;
            if (requests == 2)
                _orderIdsRequestedMoreThanOnce++;
            if (!_positionByOrderId.TryAdd(entry.OrderId, _entriesInOrder.Count))
                return false;
            _positionByPaymentId.TryAdd(entry.PaymentId, _entriesInOrder.Count);
            _entriesInOrder.Add(entry);
            return true;
        }
    }

    internal void RecordCallback(string orderId, bool delivered)
    {
        lock (_gate)
        {
            if (!_positionByOrderId.TryGetValue(orderId, out var position))
                return;
            var entry = _entriesInOrder[position];
            _entriesInOrder[position] = delivered
                ? entry with { CallbacksDelivered = entry.CallbacksDelivered + 1 }
                : entry with { CallbacksFailed = entry.CallbacksFailed + 1 };
        }
    }

    private FinpayLedgerEntry WithCounts(FinpayLedgerEntry entry) =>
        entry with { PaymentRequests = _requestsByOrderId.GetValueOrDefault(entry.OrderId) };
}
