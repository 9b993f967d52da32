using MassTransit;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>Voids an abandoned payment at its gateway (or refunds it, should it have succeeded after all).</summary>
public sealed class CancelPaymentConsumer(PaymentGatewayRouter gateways, ILogger<CancelPaymentConsumer> logger)
    : IConsumer<CancelPayment>
{
    public async Task Consume(ConsumeContext<CancelPayment> context)
    {
        var request = context.Message;
        var result = await gateways.Get(request.Gateway).CancelAsync(request.Reference, context.CancellationToken);
        if (result.Cancelled)
            logger.LogInformation("Payment {PaymentId}: {CancelType} at {Gateway} ({Reason})",
                request.PaymentId, result.CancelType, request.Gateway, request.Reason);
        else
            logger.LogWarning("Payment {PaymentId}: {Gateway} did not cancel: {Code} {Message}",
                request.PaymentId, request.Gateway, result.ResponseCode, result.ResponseMessage);
    }
}
