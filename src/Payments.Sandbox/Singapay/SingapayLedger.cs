namespace Payments.Sandbox.Singapay;

/// <summary>
/// Every card payment the simulated Singapay accepted, by reference_no, so tests (GET /singapay/_sandbox/ledger or
/// this singleton) can check that nothing was charged twice. Holds the masked PAN only, never the card number or CVV.
/// Indexed by every id a client may ask by, so the millionth charge costs what the first does.
/// </summary>
public sealed class SingapayLedger
{
    private readonly Lock _gate = new();
    private readonly List<SingapayTransaction> _transactionsInOrder = [];
    private readonly Dictionary<string, SingapayTransaction> _byTransactionId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SingapayTransaction> _byProviderTransactionId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SingapayTransaction> _byReference = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _paymentRequestsByReference = new(StringComparer.Ordinal);
    private int _referencesRequestedMoreThanOnce;

    /// <summary>A consistent copy of every entry, oldest first.</summary>
    public IReadOnlyList<SingapayLedgerEntry> Entries
    {
        get
        {
            lock (_gate)
                return _transactionsInOrder.Select(Snapshot).ToList();
        }
    }

    /// <summary>How many charges the ledger holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _transactionsInOrder.Count;
        }
    }

    /// <summary>References that valid payment POSTs carried more than once (each answered SP004 after the first).</summary>
    public int ReferencesRequestedMoreThanOnce
    {
        get
        {
            lock (_gate)
                return _referencesRequestedMoreThanOnce;
        }
    }

    /// <summary>The entry for a transaction_id, provider_transaction_id or reference_no; null when unknown.</summary>
    public SingapayLedgerEntry? Find(string id)
    {
        lock (_gate)
            return FindLocked(id) is { } transaction ? Snapshot(transaction) : null;
    }

    /// <summary>The entry for a transaction_id only (what Singapay documents for inquiries); null when unknown.</summary>
    public SingapayLedgerEntry? FindByTransactionId(string transactionId)
    {
        lock (_gate)
            return _byTransactionId.GetValueOrDefault(transactionId) is { } transaction ? Snapshot(transaction) : null;
    }

    /// <summary>The entry for a reference_no only; null when unknown.</summary>
    public SingapayLedgerEntry? FindByReference(string referenceNo)
    {
        lock (_gate)
            return _byReference.GetValueOrDefault(referenceNo) is { } transaction ? Snapshot(transaction) : null;
    }

    /// <summary>How many payment POSTs created a charge for this reference (0 or 1 unless something is badly wrong).</summary>
    public int ChargesFor(string referenceNo)
    {
        lock (_gate)
            return ChargesForLocked(referenceNo);
    }

    /// <summary>Times this payment was refunded (0 or 1 unless the sandbox itself is broken).</summary>
    public int RefundsFor(string id)
    {
        lock (_gate)
            return FindLocked(id)?.Refunds ?? 0;
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
            var requests = _paymentRequestsByReference.GetValueOrDefault(transaction.ReferenceNo) + 1;
            _paymentRequestsByReference[transaction.ReferenceNo] = requests;
            if (requests == 2)
                _referencesRequestedMoreThanOnce++;
            if (!_byReference.TryAdd(transaction.ReferenceNo, transaction))
                return null;
            // Generated ids are unique; should one ever repeat, lookups keep finding the older charge, as a scan did.
            _byTransactionId.TryAdd(transaction.TransactionId, transaction);
            _byProviderTransactionId.TryAdd(transaction.ProviderTransactionId, transaction);
            _transactionsInOrder.Add(transaction);
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
        _byTransactionId.GetValueOrDefault(id)
        ?? _byProviderTransactionId.GetValueOrDefault(id)
        ?? _byReference.GetValueOrDefault(id);

    private int ChargesForLocked(string referenceNo) => _byReference.ContainsKey(referenceNo) ? 1 : 0;

    private SingapayLedgerEntry Snapshot(SingapayTransaction t) => new(
        t.ReferenceNo, t.TransactionId, t.ProviderTransactionId, t.AccountId, t.Amount, t.Status, t.CardMasked,
        Charges: ChargesForLocked(t.ReferenceNo),
        PaymentRequests: _paymentRequestsByReference.GetValueOrDefault(t.ReferenceNo),
        t.InstallmentMonths, t.CancelType, t.ProviderAuthNo, t.ProviderResultCode, t.ProviderResultMessage,
        t.CreatedAt, t.CompletedAt, t.FailedAt, t.CallbacksDelivered, t.CallbacksFailed, t.CancelRequests, t.Refunds, t.Scenario);
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
    int CallbacksFailed,
    int CancelRequests,
    int Refunds,
    SingapayCardScenario Scenario = SingapayCardScenario.Success);

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
    /// <summary>Cancel calls for this payment, refused ones included.</summary>
    public int CancelRequests { get; set; }
    /// <summary>Times the money went back: 0 or 1, whatever the client sends.</summary>
    public int Refunds { get; set; }
    /// <summary>Wrong one-time passwords entered on the 3-D Secure page.</summary>
    public int WrongOtps { get; set; }
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
