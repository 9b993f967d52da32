using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>How each input changes a payment's data. The state machine decides the transitions.</summary>
internal static class PaymentStateChanges
{
    /// <summary>Takes what may be kept from the command (never the card data) and validates it.</summary>
    public static void Accept(this PaymentState payment, ChargeRequested charge, DateTimeOffset now)
    {
        payment.MerchantReference = charge.MerchantReference;
        payment.AccountId = charge.AccountId;
        payment.Amount = charge.Amount;
        payment.Currency = charge.Currency;
        payment.InstallmentMonths = charge.InstallmentMonths;
        payment.Gateway = charge.Card is null && charge.StoredCard is null ? "" : PaymentGatewayRouter.GatewayFor(charge);
        payment.CardMasked = charge.Card is null ? null : CardMask.Mask(charge.Card.Number);
        payment.CreatedAt = now;
        payment.UpdatedAt = now;
        if (ChargeRequestValidator.Validate(charge, now) is { Count: > 0 } failures)
            payment.FailValidation(failures);
        else
            payment.NextCause = new(TransitionCauses.Command, "ChargeRequested accepted");
    }

    public static bool FailedValidation(this PaymentState payment) => payment.FailureCode == FailureCodes.Validation;

    private static void FailValidation(this PaymentState payment, IReadOnlyList<ValidationFailure> failures)
    {
        // What was kept from an invalid command must still fit its columns, or the failure itself could not be saved.
        payment.MerchantReference = ChargeRequestValidator.Storable(payment.MerchantReference, 100);
        payment.AccountId = payment.AccountId is null ? null : ChargeRequestValidator.Storable(payment.AccountId, 64);
        payment.Currency = ChargeRequestValidator.Storable(payment.Currency, 3);
        payment.CardMasked = payment.CardMasked is null ? null : ChargeRequestValidator.Storable(payment.CardMasked, 24);
        var reason = ChargeRequestValidator.Describe(failures);
        payment.FailureCode = FailureCodes.Validation;
        payment.FailureReason = ChargeRequestValidator.Storable(reason, 1000);
        payment.NextCause = new(TransitionCauses.Command, ChargeRequestValidator.Storable($"invalid ChargeRequested: {reason}", 2000));
    }

    public static void ApplyCharge(this PaymentState payment, ChargeResult result, DateTimeOffset now)
    {
        payment.LastChargeResult = result.Kind;
        payment.ChargeSubmittedAt = now;
        payment.GatewayTransactionId = result.GatewayTransactionId ?? payment.GatewayTransactionId;
        payment.ProviderTransactionId = result.ProviderTransactionId ?? payment.ProviderTransactionId;
        payment.AuthorizationCode = result.AuthorizationCode ?? payment.AuthorizationCode;
        payment.CardMasked = result.CardMasked ?? payment.CardMasked;
        var detail = Describe(result.ResponseCode, result.ResponseMessage);
        switch (result.Kind)
        {
            case ChargeResultKind.RedirectRequired:
                payment.RedirectHtml = result.RedirectHtml;
                payment.PaymentUrl = result.PaymentUrl;
                break;
            case ChargeResultKind.Declined:
                payment.FailureCode = result.ResponseCode ?? "declined";
                payment.FailureReason = result.ResponseMessage ?? "declined by the gateway";
                break;
            case ChargeResultKind.OutcomeUnknown:
                payment.OutcomeUnknownSince = now;
                break;
        }
        payment.NextCause = new(TransitionCauses.GatewayResponse, $"charge {result.Kind}: {detail}");
    }

    public static void ApplyReport(this PaymentState payment, GatewayStatusReported report)
    {
        payment.GatewayTransactionId ??= report.GatewayTransactionId;
        payment.AuthorizationCode = report.AuthorizationCode ?? payment.AuthorizationCode;
        payment.CardMasked = report.CardMasked ?? payment.CardMasked;
        if (report.Status is GatewayPaymentStatus.Failed or GatewayPaymentStatus.Cancelled)
        {
            payment.FailureCode = report.ResponseCode ?? report.Status.ToString().ToLowerInvariant();
            payment.FailureReason = report.ResponseMessage ?? $"the gateway reports the payment {report.Status.ToString().ToLowerInvariant()}";
        }
        payment.NextCause = new(report.Source, $"{report.Status}: {Describe(report.ResponseCode, report.ResponseMessage)}");
    }

    public static void FailThreeDsNotCompleted(this PaymentState payment, GatewayStatusReported report)
    {
        payment.FailureCode = FailureCodes.ThreeDsNotCompleted;
        payment.FailureReason = "3DS not completed";
        payment.NextCause = new(TransitionCauses.Timeout, $"3DS window expired; last inquiry said {report.Status}");
    }

    public static void FailChargeNotFound(this PaymentState payment, GatewayStatusReported report)
    {
        payment.FailureCode = FailureCodes.ChargeNotFound;
        payment.FailureReason = "the gateway never received the charge";
        payment.NextCause = new(report.Source, $"charge not found at {payment.Gateway} since {payment.OutcomeUnknownSince:O}");
    }

    /// <summary>Something the gateway said that moves nothing yet, such as an unknown charge outcome: kept in the audit trail.</summary>
    public static void RecordNote(this PaymentState payment, DateTimeOffset now)
    {
        var cause = payment.TakeCause();
        payment.AddEntry(now, payment.CurrentState, payment.CurrentState, cause.Cause, cause.Detail);
    }

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

    public static PaymentTransition RecordTransition(this PaymentState payment, string? from, string to, DateTimeOffset now)
    {
        var cause = payment.TakeCause();
        var transition = payment.AddEntry(now, from, to, cause.Cause, cause.Detail);
        if (to is PaymentStatuses.Succeeded or PaymentStatuses.Failed)
            payment.CompletedAt = now;
        return transition;
    }

    private static TransitionCause TakeCause(this PaymentState payment)
    {
        var cause = payment.NextCause ?? new TransitionCause(TransitionCauses.Command, null);
        payment.NextCause = null;
        return cause;
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
        CompletedAt = payment.CompletedAt ?? payment.UpdatedAt,
    };

    private static string Describe(string? code, string? message) =>
        string.Join(" ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
}
