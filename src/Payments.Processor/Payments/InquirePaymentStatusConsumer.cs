using MassTransit;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>Asks the gateway where a payment stands and feeds the answer back to the saga, just as a callback does.</summary>
public sealed class InquirePaymentStatusConsumer(PaymentGatewayRouter gateways, TimeProvider clock, ILogger<InquirePaymentStatusConsumer> logger)
    : IConsumer<InquirePaymentStatus>
{
    public async Task Consume(ConsumeContext<InquirePaymentStatus> context)
    {
        var request = context.Message;
        InquiryResult result;
        try
        {
            result = await gateways.Get(request.Gateway).InquireAsync(request.Reference, context.CancellationToken);
        }
        catch (GatewayUnavailableException ex)
        {
            result = InquiryResult.Unknown("gateway_unavailable", ex.Message);
        }

        logger.LogInformation("Payment {PaymentId}: {Gateway} inquiry says {Status} {Code}",
            request.PaymentId, request.Gateway, result.Status, result.ResponseCode);
        await context.Publish(GatewayStatusReported.From(result, request.PaymentId, request.Gateway,
            TransitionCauses.Poll, request.FinalCheck, clock.GetUtcNow()));
    }
}
