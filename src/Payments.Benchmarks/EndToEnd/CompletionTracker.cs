using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Payments.Contracts;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>Every charge the driver sent, when, and every <see cref="PaymentCompleted"/> that came back for it.</summary>
public sealed class CompletionTracker
{
    private readonly ConcurrentDictionary<Guid, TrackedCharge> _charges = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _unknownCompletions;

    /// <summary>Called once per first completion of a tracked charge (the closed loop releases a slot with it).</summary>
    public event Action? FirstCompletion;

    public TimeSpan Now => _clock.Elapsed;
    public long UnknownCompletions => Interlocked.Read(ref _unknownCompletions);

    public TrackedCharge Track(ChargeRequested charge, string kind)
    {
        var tracked = new TrackedCharge(charge.PaymentId, charge.MerchantReference, kind);
        if (!_charges.TryAdd(charge.PaymentId, tracked))
            throw new InvalidOperationException($"PaymentId {charge.PaymentId} sent twice by the driver");
        return tracked;
    }

    public void Sent(TrackedCharge charge) => charge.SentAt = Now;

    /// <param name="messageId">the message's id: the same message delivered again (the driver's own queue redelivers
    /// what it had not acknowledged when the broker restarted) is one completion, not two</param>
    public void Completed(PaymentCompleted completed, Guid? messageId = null)
    {
        if (!_charges.TryGetValue(completed.PaymentId, out var charge))
        {
            Interlocked.Increment(ref _unknownCompletions);
            return;
        }
        if (charge.RecordCompletion(Now, completed.Succeeded, completed.Status, completed.FailureCode, messageId ?? Guid.NewGuid()))
            FirstCompletion?.Invoke();
    }

    public IReadOnlyList<TrackedCharge> Charges => _charges.Values.ToList();
}

public sealed class TrackedCharge(Guid paymentId, string reference, string kind)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Guid> _messages = [];
    private int _deliveries;

    public Guid PaymentId { get; } = paymentId;
    public string Reference { get; } = reference;
    /// <summary>Which phase or card it belongs to: "warm-up", "full", "half", "redirect", or a chaos card kind.</summary>
    public string Kind { get; } = kind;
    public TimeSpan? SentAt { get; set; }
    public TimeSpan? CompletedAt { get; private set; }
    public bool Succeeded { get; private set; }
    public string? Status { get; private set; }
    public string? FailureCode { get; private set; }

    /// <summary>Distinct PaymentCompleted messages for this payment.</summary>
    public int Completions
    {
        get
        {
            lock (_gate)
                return _messages.Count;
        }
    }

    /// <summary>Deliveries of PaymentCompleted, counting a message delivered again.</summary>
    public int Deliveries
    {
        get
        {
            lock (_gate)
                return _deliveries;
        }
    }

    public TimeSpan? Latency => CompletedAt - SentAt;

    /// <summary>True for the first completion.</summary>
    internal bool RecordCompletion(TimeSpan at, bool succeeded, string status, string? failureCode, Guid messageId)
    {
        lock (_gate)
        {
            _deliveries++;
            if (!_messages.Add(messageId) || _messages.Count > 1)
                return false;
            CompletedAt = at;
            Succeeded = succeeded;
            Status = status;
            FailureCode = failureCode;
            return true;
        }
    }
}

public sealed class PaymentCompletedConsumer(CompletionTracker tracker) : IConsumer<PaymentCompleted>
{
    public Task Consume(ConsumeContext<PaymentCompleted> context)
    {
        tracker.Completed(context.Message, context.MessageId);
        return Task.CompletedTask;
    }
}
