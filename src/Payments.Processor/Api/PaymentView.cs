using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>What GET /payments/{id} answers: the payment as it stands, and how it got there.</summary>
public sealed record PaymentView(
    Guid PaymentId,
    string MerchantReference,
    string Status,
    string Gateway,
    long Amount,
    string Currency,
    int? InstallmentMonths,
    string? CardMasked,
    string? GatewayTransactionId,
    string? ProviderTransactionId,
    string? AuthorizationCode,
    string? FailureCode,
    string? FailureReason,
    string? GatewayCode,
    string? GatewayMessage,
    bool NeedsReconciliation,
    RedirectView? Redirect,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<TransitionView> Transitions,
    RefundView? Refund = null)
{
    public static PaymentView From(PaymentState payment, string redirectPageUrl)
    {
        // The in-memory store hands out the live instance: copy what is read, under no illusion of a snapshot.
        var transitions = payment.Transitions.ToArray()
            .OrderBy(t => t.Sequence)
            .Select(t => new TransitionView(t.Sequence, t.At, t.From, t.To, t.Cause, t.Detail, t.Contradiction))
            .ToList();
        var redirect = payment.RedirectHtml is null
            ? null
            : new RedirectView(redirectPageUrl, payment.PaymentUrl is { } url && Uri.IsWellFormedUriString(url, UriKind.Absolute) ? url : null,
                payment.RedirectExpiresAt);
        return new PaymentView(payment.CorrelationId, payment.MerchantReference, payment.CurrentState, payment.Gateway,
            payment.Amount, payment.Currency, payment.InstallmentMonths, payment.CardMasked, payment.GatewayTransactionId,
            payment.ProviderTransactionId, payment.AuthorizationCode, payment.FailureCode, payment.FailureReason,
            payment.GatewayCode, payment.GatewayMessage, payment.NeedsReconciliation, redirect,
            payment.CreatedAt, payment.UpdatedAt, payment.CompletedAt, transitions,
            payment.RefundKind is null
                ? null
                : new RefundView(payment.RefundKind, payment.RefundReason, payment.RefundIdempotencyKey, payment.RefundRequestedAt,
                    payment.RefundedAt, payment.RefundFailureCode, payment.RefundFailureReason));
    }
}

/// <summary>Open <see cref="PageUrl"/> in the customer's browser to finish 3-D Secure.</summary>
public sealed record RedirectView(string PageUrl, string? GatewayUrl, DateTimeOffset? ExpiresAt);

/// <summary>The refund or void last accepted: when the gateway confirmed it, or why it was not done.</summary>
public sealed record RefundView(string Kind, string? Reason, string? IdempotencyKey, DateTimeOffset? RequestedAt, DateTimeOffset? CompletedAt,
    string? FailureCode, string? FailureReason);

public sealed record TransitionView(int Sequence, DateTimeOffset At, string? From, string To, string Cause, string? Detail, bool Contradiction);
