namespace Payments.Processor.Api;

/// <summary>The 202 body of POST /payments: the payment's id, its status, and where to follow it (also in Location).</summary>
public sealed record ChargeAccepted(Guid PaymentId, string Status, string Href);
