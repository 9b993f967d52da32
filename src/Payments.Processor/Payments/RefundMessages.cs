using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

// Messages private to the processor's refunds and voids (docs/state-machine.md, "Refunds and voids").

/// <summary>Sent by the saga on entering Refunding: cancel the payment at its gateway, then ask the gateway how it stands.</summary>
public sealed record SubmitCancel(Guid PaymentId, string Gateway, GatewayPaymentReference Reference, string Kind)
    : IPaymentGatewayMessage;

/// <summary>
/// What <see cref="SubmitCancelConsumer"/> learned: the cancel call's answer, and the status an inquiry found right after.
/// The inquiry decides: the payment is refunded or voided only when the gateway's own status says so.
/// </summary>
public sealed record GatewayCancelReported : IPaymentMessage
{
    public Guid PaymentId { get; init; }
    /// <summary>What the inquiry after the cancel call found.</summary>
    public GatewayPaymentStatus Status { get; init; }
    /// <summary>void or refund: from the inquiry when it says, else from the cancel call's answer.</summary>
    public string? CancelType { get; init; }
    /// <summary>The cancel call's code and message (the inquiry's when the cancel call gave none).</summary>
    public string? ResponseCode { get; init; }
    public string? ResponseMessage { get; init; }
    public DateTimeOffset ReportedAt { get; init; }

    public bool Cancelled => Status == GatewayPaymentStatus.Cancelled;
}
