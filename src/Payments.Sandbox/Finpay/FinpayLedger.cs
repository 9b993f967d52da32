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
    private readonly List<FinpayLedgerEntry> _entries = [];
    private readonly Dictionary<string, int> _requestsByOrderId = new(StringComparer.Ordinal);

    public IReadOnlyList<FinpayLedgerEntry> Entries
    {
        get
        {
            lock (_gate)
                return _entries.Select(WithCounts).ToList();
        }
    }

    public FinpayLedgerEntry? Find(string orderId)
    {
        lock (_gate)
            return _entries.FirstOrDefault(e => e.OrderId == orderId) is { } entry ? WithCounts(entry) : null;
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
            _requestsByOrderId[entry.OrderId] = _requestsByOrderId.GetValueOrDefault(entry.OrderId) + 1;
            if (_entries.Any(e => e.OrderId == entry.OrderId))
                return false;
            _entries.Add(entry);
            return true;
        }
    }

    internal void RecordCallback(string orderId, bool delivered)
    {
        lock (_gate)
        {
            var index = _entries.FindIndex(e => e.OrderId == orderId);
            if (index < 0)
                return;
            var entry = _entries[index];
            _entries[index] = delivered
                ? entry with { CallbacksDelivered = entry.CallbacksDelivered + 1 }
                : entry with { CallbacksFailed = entry.CallbacksFailed + 1 };
        }
    }

    private FinpayLedgerEntry WithCounts(FinpayLedgerEntry entry) =>
        entry with { PaymentRequests = _requestsByOrderId.GetValueOrDefault(entry.OrderId) };
}
