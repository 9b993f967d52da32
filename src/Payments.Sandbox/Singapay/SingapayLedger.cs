namespace Payments.Sandbox.Singapay;

/// <summary>
/// Every card payment the simulated Singapay accepted, by reference_no, so tests (GET /singapay/_sandbox/ledger or
/// this singleton) can check that nothing was charged twice. Holds the masked PAN only, never the card number or CVV.
/// </summary>
public sealed class SingapayLedger
{
    private readonly Lock _gate = new();
    private readonly List<SingapayTransaction> _transactions = [];
    private readonly Dictionary<string, int> _paymentRequestsByReference = new(StringComparer.Ordinal);

    /// <summary>A consistent copy of every entry, oldest first.</summary>
    public IReadOnlyList<SingapayLedgerEntry> Entries
    {
        get
        {
            lock (_gate)
                return _transactions.Select(Snapshot).ToList();
        }
    }

    /// <summary>The entry for a transaction_id, provider_transaction_id or reference_no; null when unknown.</summary>
    public SingapayLedgerEntry? Find(string id)
    {
        lock (_gate)
            return FindLocked(id) is { } transaction ? Snapshot(transaction) : null;
    }

    /// <summary>How many payment POSTs created a charge for this reference (0 or 1 unless something is badly wrong).</summary>
    public int ChargesFor(string referenceNo)
    {
        lock (_gate)
            return _transactions.Count(t => t.ReferenceNo == referenceNo);
    }

    /// <summary>Valid payment POSTs that carried this reference, duplicates included.</summary>
    public int PaymentRequestsFor(string referenceNo)
    {
        lock (_gate)
            return _paymentRequestsByReference.GetValueOrDefault(referenceNo);
    }

    /// <summary>Records a new charge, or returns null when its reference_no is already used (SP004).</summary>
    internal SingapayLedgerEntry? TryAdd(SingapayTransaction transaction)
    {
        lock (_gate)
        {
            _paymentRequestsByReference[transaction.ReferenceNo] =
                _paymentRequestsByReference.GetValueOrDefault(transaction.ReferenceNo) + 1;
            if (_transactions.Any(t => t.ReferenceNo == transaction.ReferenceNo))
                return null;
            _transactions.Add(transaction);
            return Snapshot(transaction);
        }
    }

    /// <summary>Applies <paramref name="change"/> atomically; it returns false to leave the transaction as it was.</summary>
    internal SingapayLedgerEntry? Update(string id, Func<SingapayTransaction, bool> change, out bool changed)
    {
        lock (_gate)
        {
            changed = false;
            if (FindLocked(id) is not { } transaction)
                return null;
            changed = change(transaction);
            return Snapshot(transaction);
        }
    }

    private SingapayTransaction? FindLocked(string id) =>
        _transactions.FirstOrDefault(t => t.TransactionId == id)
        ?? _transactions.FirstOrDefault(t => t.ProviderTransactionId == id)
        ?? _transactions.FirstOrDefault(t => t.ReferenceNo == id);

    private SingapayLedgerEntry Snapshot(SingapayTransaction t) => new(
        t.ReferenceNo, t.TransactionId, t.ProviderTransactionId, t.AccountId, t.Amount, t.Status, t.CardMasked,
        Charges: _transactions.Count(other => other.ReferenceNo == t.ReferenceNo),
        PaymentRequests: _paymentRequestsByReference.GetValueOrDefault(t.ReferenceNo),
        t.InstallmentMonths, t.CancelType, t.ProviderAuthNo, t.ProviderResultCode, t.ProviderResultMessage,
        t.CreatedAt, t.CompletedAt, t.FailedAt, t.CallbacksDelivered, t.CallbacksFailed);
}

/// <summary>One charge as the ledger shows it.</summary>
public sealed record SingapayLedgerEntry(
    string ReferenceNo,
    string TransactionId,
    string ProviderTransactionId,
    string AccountId,
    decimal Amount,
    string Status,
    string CardMasked,
    int Charges,
    int PaymentRequests,
    int? InstallmentMonths,
    string? CancelType,
    string? ProviderAuthNo,
    string? ProviderResultCode,
    string? ProviderResultMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? FailedAt,
    int CallbacksDelivered,
    int CallbacksFailed);

/// <summary>The ledger's mutable record of a charge; only touched under the ledger's lock.</summary>
internal sealed class SingapayTransaction
{
    public required string ReferenceNo { get; init; }
    public required string TransactionId { get; init; }
    public required string ProviderTransactionId { get; init; }
    public required string AccountId { get; init; }
    public required decimal Amount { get; init; }
    public required string GoodsName { get; init; }
    public required string CardMasked { get; init; }
    public required SingapayCardScenario Scenario { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required SingapayCallbackFaults CallbackFaults { get; init; }
    public int? InstallmentMonths { get; init; }
    public string Status { get; set; } = SingapayStatus.Processing;
    public DateTimeOffset? SettleAt { get; set; }
    public string? CancelType { get; set; }
    public string? ProviderAuthNo { get; set; }
    public string? ProviderResultCode { get; set; }
    public string? ProviderResultMessage { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public int CallbacksDelivered { get; set; }
    public int CallbacksFailed { get; set; }
}

internal static class SingapayStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Refunded = "refunded";
}
