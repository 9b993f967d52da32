namespace Payments.Contracts;

/// <summary>
/// A message about one payment: every command and event in and out of the processor implements it, so whatever handles
/// messages (tracing, logging) finds the payment without knowing each type.
/// </summary>
public interface IPaymentMessage
{
    Guid PaymentId { get; }
}

/// <summary>A payment message that names the gateway handling the payment, when it is known.</summary>
public interface IPaymentGatewayMessage : IPaymentMessage
{
    /// <summary>Singapay or Finpay; null or empty when no gateway has been chosen.</summary>
    string? Gateway { get; }
}

/// <summary>A payment message that says the status the payment is in (one of <see cref="PaymentStatuses"/>).</summary>
public interface IPaymentStatusMessage : IPaymentMessage
{
    string Status { get; }
}
