using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>How each input changes a payment's data. The state machine decides the transitions.</summary>
internal static class PaymentStateChanges
{
    /// <summary>
    /// Takes what may be kept from the command (never the card data: the number only masked) and validates it,
    /// opening a sealed card in memory to do so.
    /// </summary>
    public static void Accept(this PaymentState payment, ChargeRequested charge, CardCipher cipher, DateTimeOffset now)
    {
        payment.MerchantReference = charge.MerchantReference;
        payment.AccountId = charge.AccountId;
        payment.Amount = charge.Amount;
        payment.Currency = charge.Currency;
        payment.InstallmentMonths = charge.InstallmentMonths;
        payment.ReturnUrl = charge.ReturnUrl;
        payment.CreatedAt = now;
        payment.UpdatedAt = now;
        var failures = Open(charge, cipher, out var opened);
        payment.Gateway = opened.Card is null && opened.StoredCard is null ? "" : PaymentGatewayRouter.GatewayFor(opened);
        payment.CardMasked = opened.Card is null ? null : CardMask.Mask(opened.Card.Number);
        if (failures.Count == 0)
            failures = ChargeRequestValidator.Validate(opened, now);
        if (failures.Count > 0)
            payment.FailValidation(failures);
    }

    private static IReadOnlyList<ValidationFailure> Open(ChargeRequested charge, CardCipher cipher, out ChargeRequested opened)
    {
        opened = charge;
        if (charge.EncryptedCard is not { } sealedCard)
            return [];
        if (charge.Card is not null || charge.StoredCard is not null)
        {
            opened = charge with { Card = null, EncryptedCard = null, StoredCard = null };
            return [new("EncryptedCard", "give exactly one of Card, EncryptedCard or StoredCard")];
        }
        try
        {
            opened = charge with { Card = cipher.Decrypt(sealedCard), EncryptedCard = null };
            return [];
        }
        catch (CardDecryptionException ex)
        {
            opened = charge with { EncryptedCard = null };
            return [new("EncryptedCard", ex.Message)];
        }
    }

    public static bool FailedValidation(this PaymentState payment) => payment.FailureCode == FailureCodes.Validation;

    private static void FailValidation(this PaymentState payment, IReadOnlyList<ValidationFailure> failures)
    {
        // What was kept from an invalid command must still fit its columns, or the failure itself could not be saved.
        payment.MerchantReference = ChargeRequestValidator.Storable(payment.MerchantReference, 100);
        payment.AccountId = payment.AccountId is null ? null : ChargeRequestValidator.Storable(payment.AccountId, 64);
        payment.Currency = ChargeRequestValidator.Storable(payment.Currency, 3);
        payment.CardMasked = payment.CardMasked is null ? null : ChargeRequestValidator.Storable(payment.CardMasked, 24);
        payment.ReturnUrl = null; // possibly the invalid field itself; a failed validation never reaches 3-D Secure
        payment.FailureCode = FailureCodes.Validation;
        payment.FailureReason = ChargeRequestValidator.Storable(ChargeRequestValidator.Describe(failures), 1000);
        payment.ValidationErrors = ChargeRequestValidator.ByField(failures);
    }

    public static TransitionCause AcceptedCause(this PaymentState payment) =>
        payment.FailedValidation()
            ? new(TransitionCauses.Command, ChargeRequestValidator.Storable($"invalid ChargeRequested: {payment.FailureReason}", 2000))
            : new(TransitionCauses.Command, "ChargeRequested accepted");

    /// <summary>The command for the charge step: the card sealed with the processor's current key, never in plaintext.</summary>
    public static SubmitCharge ToSubmitCharge(this PaymentState payment, ChargeRequested charge, CardCipher cipher) => new()
    {
        PaymentId = payment.CorrelationId,
        Gateway = payment.Gateway,
        Charge = charge with
        {
            Card = null,
            EncryptedCard = charge.Card is { } card ? cipher.Encrypt(card) : charge.EncryptedCard,
        },
    };

    /// <summary>What the charge call answered; returns the cause to record with the transition it leads to.</summary>
    public static TransitionCause ApplyCharge(this PaymentState payment, ChargeResult result, DateTimeOffset now)
    {
        payment.ChargeSubmittedAt = now;
        payment.GatewayTransactionId = result.GatewayTransactionId ?? payment.GatewayTransactionId;
        payment.ProviderTransactionId = result.ProviderTransactionId ?? payment.ProviderTransactionId;
        payment.AuthorizationCode = result.AuthorizationCode ?? payment.AuthorizationCode;
        payment.CardMasked = result.CardMasked ?? payment.CardMasked;
        switch (result.Kind)
        {
            case ChargeResultKind.RedirectRequired:
                payment.RedirectHtml = result.RedirectHtml;
                payment.PaymentUrl = result.PaymentUrl;
                break;
            case ChargeResultKind.Declined:
                payment.FailWithGatewayCode(result.FailureCode, FailureCodes.CardDeclined, result.ResponseCode, result.ResponseMessage,
                    "declined by the gateway");
                break;
            case ChargeResultKind.OutcomeUnknown:
                payment.OutcomeUnknownSince ??= now;
                break;
        }
        return new(TransitionCauses.GatewayResponse, $"charge {result.Kind}: {Describe(result.ResponseCode, result.ResponseMessage)}");
    }

    /// <summary>No charge request can have reached the gateway: the payment fails, and nothing was charged.</summary>
    public static TransitionCause ApplyNotSent(this PaymentState payment, ChargeNotSent notSent, DateTimeOffset now)
    {
        payment.ChargeSubmittedAt = now;
        payment.FailureCode = notSent.Code;
        payment.FailureReason = notSent.Reason;
        return new(TransitionCauses.GatewayResponse, $"charge not sent: {Describe(notSent.Code, notSent.Reason)}");
    }

    public static TransitionCause ApplyReport(this PaymentState payment, GatewayStatusReported report)
    {
        payment.GatewayTransactionId ??= report.GatewayTransactionId;
        payment.AuthorizationCode = report.AuthorizationCode ?? payment.AuthorizationCode;
        payment.CardMasked = report.CardMasked ?? payment.CardMasked;
        if (report.Status is GatewayPaymentStatus.Failed or GatewayPaymentStatus.Cancelled)
            payment.FailWithGatewayCode(report.FailureCode,
                report.Status == GatewayPaymentStatus.Cancelled ? FailureCodes.Cancelled : FailureCodes.CardDeclined,
                report.ResponseCode, report.ResponseMessage, $"the gateway reports the payment {report.Status.ToString().ToLowerInvariant()}");
        if (report.Status is not (GatewayPaymentStatus.NotFound or GatewayPaymentStatus.Unknown))
            payment.NeedsReconciliation = false;
        return new(report.Source, $"{report.Status}: {Describe(report.ResponseCode, report.ResponseMessage)}");
    }

    public static TransitionCause FailThreeDsNotCompleted(this PaymentState payment, GatewayStatusReported report)
    {
        payment.FailureCode = FailureCodes.ThreeDsNotCompleted;
        payment.FailureReason = "3DS not completed";
        payment.GatewayCode = Storable(report.ResponseCode, 64);
        payment.GatewayMessage = Storable(report.ResponseMessage, 1000);
        payment.NeedsReconciliation = false;
        return new(TransitionCauses.Timeout, $"3DS window expired; the gateway says {report.Status}");
    }

    /// <summary>
    /// The gateway failed the payment: the adapter's reading of it if it is one of <see cref="FailureCodes.All"/> (else
    /// <paramref name="fallback"/>), with the gateway's own code and message kept beside it.
    /// </summary>
    private static void FailWithGatewayCode(this PaymentState payment, string? failureCode, string fallback, string? gatewayCode,
        string? gatewayMessage, string defaultReason)
    {
        payment.FailureCode = failureCode is not null && FailureCodes.All.Contains(failureCode) ? failureCode : fallback;
        payment.FailureReason = Storable(gatewayMessage, 1000) ?? defaultReason;
        payment.GatewayCode = Storable(gatewayCode, 64);
        payment.GatewayMessage = Storable(gatewayMessage, 1000);
    }

    private static string? Storable(string? value, int length) => value is null ? null : ChargeRequestValidator.Storable(value, length);

    /// <summary>The outcome cannot be established from here: it stays open, flagged for ops, and never becomes Failed by itself.</summary>
    public static TransitionCause FlagForReconciliation(this PaymentState payment, string why)
    {
        payment.NeedsReconciliation = true;
        return new(TransitionCauses.Reconciliation, $"needs reconciliation: {why}");
    }

    /// <summary>An operator's confirmed outcome: recorded with who and why.</summary>
    public static TransitionCause ResolveByOps(this PaymentState payment, ResolvePayment resolve)
    {
        payment.NeedsReconciliation = false;
        if (resolve.Outcome == PaymentStatuses.Failed)
        {
            payment.FailureCode = FailureCodes.ResolvedByOps;
            payment.FailureReason = $"confirmed failed by {resolve.Actor}: {resolve.Reason}";
        }
        return new(TransitionCauses.Ops, $"resolved {resolve.Outcome} by {resolve.Actor}: {resolve.Reason}");
    }

    /// <summary>An operator found the gateway's transaction id: the processor asks the gateway by it.</summary>
    public static TransitionCause LearnTransactionIdFromOps(this PaymentState payment, ResolvePayment resolve)
    {
        payment.GatewayTransactionId = resolve.GatewayTransactionId;
        return new(TransitionCauses.Ops,
            $"transaction id {resolve.GatewayTransactionId} given by {resolve.Actor} ({resolve.Reason}); inquiring by it");
    }

    /// <summary>Something that moves nothing, such as an unknown charge outcome: kept in the audit trail.</summary>
    public static void RecordNote(this PaymentState payment, TransitionCause cause, DateTimeOffset now) =>
        payment.AddEntry(now, payment.CurrentState, payment.CurrentState, cause.Cause, cause.Detail);

    /// <summary>A second ChargeRequested for this payment: kept in the audit trail, never sent to the gateway.</summary>
    public static void RecordDuplicate(this PaymentState payment, DateTimeOffset now) =>
        payment.AddEntry(now, payment.CurrentState, payment.CurrentState, TransitionCauses.Command,
            "duplicate ChargeRequested ignored: the charge is never sent twice");

    /// <summary>A report about a payment that is already final changes nothing; it is kept, and a contradiction flagged.</summary>
    public static bool RecordLateReport(this PaymentState payment, GatewayStatusReported report, DateTimeOffset now)
    {
        var contradiction = payment.CurrentState switch
        {
            PaymentStatuses.Succeeded => report.Status is GatewayPaymentStatus.Failed,
            PaymentStatuses.Failed => report.Status is GatewayPaymentStatus.Succeeded,
            _ => false,
        };
        payment.AddEntry(now, payment.CurrentState, payment.CurrentState, report.Source,
            $"late report after {payment.CurrentState}: {report.Status} {Describe(report.ResponseCode, report.ResponseMessage)}",
            contradiction);
        return contradiction;
    }

    public static PaymentTransition RecordTransition(this PaymentState payment, string to, TransitionCause cause, DateTimeOffset now)
    {
        var from = payment.CurrentState is null or "" or "Initial" ? null : payment.CurrentState;
        var transition = payment.AddEntry(now, from, to, cause.Cause, cause.Detail);
        if (to is PaymentStatuses.Succeeded or PaymentStatuses.Failed)
            payment.CompletedAt = now;
        return transition;
    }

    private static PaymentTransition AddEntry(this PaymentState payment, DateTimeOffset at, string? from, string to, string cause,
        string? detail, bool contradiction = false)
    {
        var entry = new PaymentTransition
        {
            Sequence = payment.Transitions.Count + 1,
            At = at,
            From = from,
            To = to,
            Cause = cause,
            Detail = detail,
            Contradiction = contradiction,
        };
        payment.Transitions.Add(entry);
        payment.UpdatedAt = at;
        return entry;
    }

    public static PaymentCompleted ToCompleted(this PaymentState payment) => new()
    {
        PaymentId = payment.CorrelationId,
        MerchantReference = payment.MerchantReference,
        Succeeded = payment.CurrentState == PaymentStatuses.Succeeded,
        Status = payment.CurrentState,
        Amount = payment.Amount,
        Currency = payment.Currency,
        Gateway = payment.Gateway,
        GatewayTransactionId = payment.GatewayTransactionId,
        AuthorizationCode = payment.AuthorizationCode,
        CardMasked = payment.CardMasked,
        FailureCode = payment.CurrentState == PaymentStatuses.Failed ? payment.FailureCode : null,
        FailureReason = payment.CurrentState == PaymentStatuses.Failed ? payment.FailureReason : null,
        ValidationErrors = payment.CurrentState == PaymentStatuses.Failed ? payment.ValidationErrors : null,
        GatewayCode = payment.GatewayCode,
        GatewayMessage = payment.GatewayMessage,
        CompletedAt = payment.CompletedAt ?? payment.UpdatedAt,
        Sequence = payment.StatusSequence,
    };

    private static string Describe(string? code, string? message) =>
        string.Join(" ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
}
