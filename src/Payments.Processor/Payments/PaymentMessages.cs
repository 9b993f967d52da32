using Payments.Gateways;

namespace Payments.Processor.Payments;

// Messages private to the processor. None carries card data, so all of them may rest in the outbox and scheduler.

/// <summary>Scheduled by the saga: time to ask the gateway again.</summary>
public record InquiryDue(Guid PaymentId);

/// <summary>Scheduled by the saga: the customer's 3-D Secure window is over.</summary>
public record RedirectWindowExpired(Guid PaymentId);

/// <summary>Asks <see cref="InquirePaymentStatusConsumer"/> to check a payment at its gateway.</summary>
public record InquirePaymentStatus(Guid PaymentId, string Gateway, GatewayPaymentReference Reference, bool FinalCheck);

/// <summary>Asks <see cref="CancelPaymentConsumer"/> to void (or refund) a payment at its gateway.</summary>
public record CancelPayment(Guid PaymentId, string Gateway, GatewayPaymentReference Reference, string Reason);

/// <summary>
/// What the gateway says about a payment, from an inquiry poll or a verified callback. Both sources drive the
/// same transitions, so their order does not matter.
/// </summary>
public record GatewayStatusReported
{
    public Guid PaymentId { get; init; }
    public string Gateway { get; init; } = "";
    /// <summary>callback or poll (see <see cref="TransitionCauses"/>).</summary>
    public string Source { get; init; } = TransitionCauses.Poll;
    public GatewayPaymentStatus Status { get; init; }
    public string? GatewayTransactionId { get; init; }
    public string? AuthorizationCode { get; init; }
    public string? CardMasked { get; init; }
    public string? ResponseCode { get; init; }
    public string? ResponseMessage { get; init; }
    /// <summary>The last inquiry after the 3-D Secure window closed: anything short of progress fails the payment.</summary>
    public bool FinalCheck { get; init; }
    public DateTimeOffset ReportedAt { get; init; }

    public static GatewayStatusReported From(InquiryResult result, Guid paymentId, string gateway, string source,
        bool finalCheck, DateTimeOffset at) => new()
    {
        PaymentId = paymentId,
        Gateway = gateway,
        Source = source,
        Status = result.Status,
        GatewayTransactionId = result.GatewayTransactionId,
        AuthorizationCode = result.AuthorizationCode,
        CardMasked = result.CardMasked,
        ResponseCode = result.ResponseCode,
        ResponseMessage = result.ResponseMessage,
        FinalCheck = finalCheck,
        ReportedAt = at,
    };
}
