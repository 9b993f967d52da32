using MassTransit;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>Voids an abandoned payment at its gateway (or refunds it, should it have succeeded after all).</summary>
public sealed partial class CancelPaymentConsumer(PaymentGatewayRouter gateways, ILogger<CancelPaymentConsumer> logger)
    : IConsumer<CancelPayment>
{
    public async Task Consume(ConsumeContext<CancelPayment> context)
    {
        var request = context.Message;
        var result = await gateways.Get(request.Gateway).CancelAsync(request.Reference, context.CancellationToken);
        if (result.Cancelled)
            LogCancelled(logger, request.PaymentId, result.CancelType, request.Gateway, request.Reason);
        else
            LogNotCancelled(logger, request.PaymentId, request.Gateway, result.ResponseCode, result.ResponseMessage);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: {CancelType} at {Gateway} ({Reason})")]
    private static partial void LogCancelled(ILogger logger, Guid paymentId, string? cancelType, string gateway, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId}: {Gateway} did not cancel: {Code} {Message}")]
    private static partial void LogNotCancelled(ILogger logger, Guid paymentId, string gateway, string? code, string? message);
}
