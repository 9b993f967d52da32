namespace Payments.Contracts;

/// <summary>Where the processor listens on the bus. Send <see cref="ChargeRequested"/> to <see cref="ChargeRequestsAddress"/>.</summary>
public static class PaymentsBus
{
    /// <summary>The processor's queue for <see cref="ChargeRequested"/> (and the payment saga's other messages).</summary>
    public const string ChargeRequestsQueue = "payments";

    /// <summary>MassTransit's short address of <see cref="ChargeRequestsQueue"/>, for <c>GetSendEndpoint</c>.</summary>
    public static readonly Uri ChargeRequestsAddress = new($"queue:{ChargeRequestsQueue}");

    /// <summary>
    /// The exchange bound to <see cref="ChargeRequestsQueue"/>: send here when the processor runs with quorum queues
    /// (RabbitMq:QueueType=quorum). A "queue:" address declares the queue as a classic one, which RabbitMQ refuses for
    /// a quorum queue; the exchange leaves the queue to the processor (start it once before sending).
    /// </summary>
    public static readonly Uri ChargeRequestsExchangeAddress = new($"exchange:{ChargeRequestsQueue}");
}
