using MassTransit;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>
/// Refunds or voids a payment at its gateway (the gateway chooses which, by how far the payment got), then verifies by
/// inquiry. Calling again is safe: a gateway cancels a payment once, and refuses a second cancel of a cancelled one.
/// </summary>
public sealed partial class SubmitCancelConsumer(PaymentGatewayRouter gateways, TimeProvider clock, ILogger<SubmitCancelConsumer> logger)
    : IConsumer<SubmitCancel>
{
    public async Task Consume(ConsumeContext<SubmitCancel> context)
    {
        var request = context.Message;
        var gateway = gateways.Get(request.Gateway);

        CancelResult cancel;
        try
        {
            cancel = await gateway.CancelAsync(request.Reference, context.CancellationToken);
        }
        catch (GatewayUnavailableException ex)
        {
            cancel = new CancelResult { Cancelled = false, ResponseCode = "gateway_unavailable", ResponseMessage = ex.Message };
        }

        InquiryResult status;
        try
        {
            status = await gateway.InquireAsync(request.Reference, context.CancellationToken);
        }
        catch (GatewayUnavailableException ex)
        {
            status = InquiryResult.Unknown("gateway_unavailable", ex.Message);
        }

        LogAnswer(logger, request.PaymentId, request.Kind, request.Gateway, cancel.Cancelled, cancel.ResponseCode, status.Status);
        await context.Publish(new GatewayCancelReported
        {
            PaymentId = request.PaymentId,
            Status = status.Status,
            CancelType = status.CancelType ?? cancel.CancelType,
            ResponseCode = cancel.ResponseCode ?? status.ResponseCode,
            ResponseMessage = cancel.ResponseMessage ?? status.ResponseMessage,
            ReportedAt = clock.GetUtcNow(),
        });
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Payment {PaymentId}: {Kind} at {Gateway}: cancel answered {Cancelled} {Code}; the inquiry after it says {Status}")]
    private static partial void LogAnswer(ILogger logger, Guid paymentId, string kind, string gateway, bool cancelled, string? code,
        GatewayPaymentStatus status);
}
