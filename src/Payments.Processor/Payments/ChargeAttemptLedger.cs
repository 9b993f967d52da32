using System.Collections.Concurrent;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// Remembers, durably and before the request leaves, that a charge was sent for a payment. This is what keeps rule 1
/// (one charge per payment) when the process dies after the gateway call but before the saga's state is saved:
/// the redelivered command finds the attempt and inquires instead of charging again. Once the gateway has answered, the
/// answer is kept with the attempt, so a redelivery (the result's publish was lost with a broker connection, or the
/// process stopped before its ack) hands on that answer instead of asking the gateway again.
/// It also maps a gateway's merchant reference back to our PaymentId for callbacks.
/// </summary>
public interface IChargeAttemptLedger
{
    Task<ChargeAttemptStart> TryBeginAsync(ChargeAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Forget an attempt whose request certainly never left (circuit open, connection refused).</summary>
    Task ReleaseAsync(Guid paymentId, CancellationToken cancellationToken);

    Task<ChargeAttempt?> FindByReferenceAsync(string gateway, string merchantReference, CancellationToken cancellationToken);

    /// <summary>Keeps the gateway's answer to the payment's attempt (no card data: the answer carries only the masked card).</summary>
    Task RecordAnswerAsync(Guid paymentId, ChargeResult answer, CancellationToken cancellationToken);

    /// <summary>The answer kept for the payment's attempt; null when none was kept (not answered yet, or lost with the process).</summary>
    Task<ChargeResult?> FindAnswerAsync(Guid paymentId, CancellationToken cancellationToken);
}

public sealed record ChargeAttempt(Guid PaymentId, string Gateway, string MerchantReference, string? AccountId, DateTimeOffset StartedAt)
{
    /// <summary>The W3C traceparent of the charge, so a later callback's span can link to the payment's trace.</summary>
    public string? TraceParent { get; init; }
}

public enum ChargeAttemptStart
{
    /// <summary>First attempt: send the charge.</summary>
    Started,
    /// <summary>This payment may already have been sent: resend only where the gateway guards the reference, else inquire.</summary>
    AlreadyAttempted,
    /// <summary>Another payment already used this merchant reference at this gateway.</summary>
    ReferenceInUse,
}

/// <summary>The embedded default's ledger: correct within one process, gone with it.</summary>
public sealed class InMemoryChargeAttemptLedger : IChargeAttemptLedger
{
    private readonly ConcurrentDictionary<Guid, ChargeAttempt> _byPayment = new();
    private readonly ConcurrentDictionary<(string Gateway, string Reference), Guid> _byReference = new();
    private readonly ConcurrentDictionary<Guid, ChargeResult> _answers = new();
    private readonly Lock _gate = new();

    public Task<ChargeAttemptStart> TryBeginAsync(ChargeAttempt attempt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_byPayment.ContainsKey(attempt.PaymentId))
                return Task.FromResult(ChargeAttemptStart.AlreadyAttempted);
            var key = (attempt.Gateway, attempt.MerchantReference);
            if (_byReference.ContainsKey(key))
                return Task.FromResult(ChargeAttemptStart.ReferenceInUse);
            _byPayment[attempt.PaymentId] = attempt;
            _byReference[key] = attempt.PaymentId;
            return Task.FromResult(ChargeAttemptStart.Started);
        }
    }

    public Task ReleaseAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_byPayment.TryRemove(paymentId, out var attempt))
                _byReference.TryRemove((attempt.Gateway, attempt.MerchantReference), out _);
            _answers.TryRemove(paymentId, out _);
        }
        return Task.CompletedTask;
    }

    public Task<ChargeAttempt?> FindByReferenceAsync(string gateway, string merchantReference, CancellationToken cancellationToken) =>
        Task.FromResult(_byReference.TryGetValue((gateway, merchantReference), out var id) && _byPayment.TryGetValue(id, out var attempt)
            ? attempt
            : null);

    public Task RecordAnswerAsync(Guid paymentId, ChargeResult answer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_byPayment.ContainsKey(paymentId))
                _answers[paymentId] = answer;
        }
        return Task.CompletedTask;
    }

    public Task<ChargeResult?> FindAnswerAsync(Guid paymentId, CancellationToken cancellationToken) =>
        Task.FromResult(_answers.TryGetValue(paymentId, out var answer) ? answer : null);
}
