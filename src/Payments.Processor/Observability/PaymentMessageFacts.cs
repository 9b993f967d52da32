using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.Payments;

namespace Payments.Processor.Observability;

/// <summary>What a bus message says about its payment, for span tags. Never card data.</summary>
internal readonly record struct PaymentMessageFacts(Guid PaymentId, string? Gateway, string? State)
{
    public static PaymentMessageFacts? From(object message) => message switch
    {
        ChargeRequested charge => new(charge.PaymentId,
            charge.Card is null && charge.StoredCard is null ? null : PaymentGatewayRouter.GatewayFor(charge), null),
        GatewayStatusReported report => new(report.PaymentId, report.Gateway, null),
        InquirePaymentStatus inquiry => new(inquiry.PaymentId, inquiry.Gateway, null),
        CancelPayment cancel => new(cancel.PaymentId, cancel.Gateway, null),
        InquiryDue due => new(due.PaymentId, null, null),
        RedirectWindowExpired expired => new(expired.PaymentId, null, null),
        PaymentStatusChanged changed => new(changed.PaymentId, null, changed.Status),
        PaymentCompleted completed => new(completed.PaymentId, completed.Gateway, completed.Status),
        PaymentRedirectRequired redirect => new(redirect.PaymentId, null, PaymentStatuses.Redirect),
        _ => null,
    };
}
