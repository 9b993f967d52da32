namespace Payments.Contracts;

/// <summary>Where the processor listens on the bus. Send <see cref="ChargeRequested"/> to <see cref="ChargeRequestsAddress"/>.</summary>
public static class PaymentsBus
{
    /// <summary>The processor's queue for <see cref="ChargeRequested"/> (and the payment saga's other messages).</summary>
    public const string ChargeRequestsQueue = "payments";

    /// <summary>MassTransit's short address of <see cref="ChargeRequestsQueue"/>, for <c>GetSendEndpoint</c>.</summary>
    public static readonly Uri ChargeRequestsAddress = new($"queue:{ChargeRequestsQueue}");
}
