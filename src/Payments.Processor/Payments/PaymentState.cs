using MassTransit;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// The saga instance: everything known about one payment except card data. The card number exists here only
/// masked; the CVV and expiry never.
/// </summary>
public class PaymentState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public int Version { get; set; }

    public string MerchantReference { get; set; } = "";
    public string? AccountId { get; set; }
    public long Amount { get; set; }
    public string Currency { get; set; } = "IDR";
    public string Gateway { get; set; } = "";
    public string? CardMasked { get; set; }
    public int? InstallmentMonths { get; set; }

    public string? GatewayTransactionId { get; set; }
    public string? ProviderTransactionId { get; set; }
    public string? AuthorizationCode { get; set; }
    public string? RedirectHtml { get; set; }
    public string? PaymentUrl { get; set; }
    public DateTimeOffset? RedirectExpiresAt { get; set; }
    /// <summary>The merchant's page the customer's browser is sent to after 3-D Secure (ChargeRequested.ReturnUrl).</summary>
    public string? ReturnUrl { get; set; }

    /// <summary>One of <see cref="FailureCodes.All"/>, whichever gateway failed it.</summary>
    public string? FailureCode { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>
    /// Every failing field of a command that failed validation, for its PaymentCompleted. Not stored: the payment fails
    /// while that command is handled; <see cref="FailureReason"/> keeps the same list as text.
    /// </summary>
    public IReadOnlyDictionary<string, string[]>? ValidationErrors { get; set; }

    /// <summary>The gateway's own code and message for the outcome, verbatim (SP001, 4030005, 05…).</summary>
    public string? GatewayCode { get; set; }
    public string? GatewayMessage { get; set; }

    /// <summary>How many statuses the payment has had: the <see cref="PaymentStatusChanged.Sequence"/> of the last one published.</summary>
    public int StatusSequence { get; set; }

    /// <summary>When the charge call returned (or was found already sent). Null while the charge has not gone out.</summary>
    public DateTimeOffset? ChargeSubmittedAt { get; set; }

    /// <summary>Set when the charge call's outcome was unknown (timeout, 5xx, SP005…): only inquiry can settle it.</summary>
    public DateTimeOffset? OutcomeUnknownSince { get; set; }
    public int InquiryAttempts { get; set; }
    public Guid? InquiryPollTokenId { get; set; }
    public Guid? RedirectExpiryTokenId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The audit trail: every transition, and every late report about a final payment.</summary>
    public List<PaymentTransition> Transitions { get; set; } = [];

    /// <summary>
    /// The charge's outcome cannot be established by the processor alone (nothing to inquire by, or the gateway cannot
    /// find it): the payment stays open until a callback, an inquiry by transaction id, or ops settle it.
    /// </summary>
    public bool NeedsReconciliation { get; set; }

    /// <summary>The refund or void last asked for (refund or void), with its reason and idempotency key.</summary>
    public string? RefundKind { get; set; }
    public string? RefundReason { get; set; }
    public string? RefundIdempotencyKey { get; set; }
    /// <summary>The status the payment had when that refund or void was accepted: where a refused one returns it to.</summary>
    public string? RefundFrom { get; set; }
    public DateTimeOffset? RefundRequestedAt { get; set; }
    /// <summary>When the gateway's status confirmed the refund or void.</summary>
    public DateTimeOffset? RefundedAt { get; set; }
    /// <summary>Why the last refund or void was not done (see <see cref="Contracts.RefundFailureCodes"/>).</summary>
    public string? RefundFailureCode { get; set; }
    public string? RefundFailureReason { get; set; }

    public bool IsFinal => CurrentState is PaymentStatuses.Succeeded or PaymentStatuses.Failed or PaymentStatuses.Refunded or PaymentStatuses.Voided;

    public GatewayPaymentReference GatewayReference => new(MerchantReference, GatewayTransactionId, AccountId);
}

public class PaymentTransition
{
    public int Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public string? From { get; set; }
    public string To { get; set; } = "";
    /// <summary>command, gateway-response, callback, poll, timeout, reconciliation or ops.</summary>
    public string Cause { get; set; } = "";
    public string? Detail { get; set; }
    /// <summary>A late report that contradicts the final outcome, e.g. success after Failed. Ops must look.</summary>
    public bool Contradiction { get; set; }
}

/// <summary>Why a transition happens, recorded with it in the audit trail.</summary>
public sealed record TransitionCause(string Cause, string? Detail);

public static class TransitionCauses
{
    public const string Command = "command";
    public const string GatewayResponse = "gateway-response";
    public const string Callback = "callback";
    public const string Poll = "poll";
    public const string Timeout = "timeout";
    /// <summary>The processor could not establish the outcome and flagged the payment for ops.</summary>
    public const string Reconciliation = "reconciliation";
    /// <summary>An operator settled the payment (POST /ops/payments/{id}/resolve); the detail names who and why.</summary>
    public const string Ops = "ops";
}
