using MassTransit;
using Payments.Contracts;
using Payments.Gateways;

namespace Payments.Processor.Payments;

/// <summary>Asks the gateway where a payment stands and feeds the answer back to the saga, just as a callback does.</summary>
public sealed partial class InquirePaymentStatusConsumer(PaymentGatewayRouter gateways, TimeProvider clock, ILogger<InquirePaymentStatusConsumer> logger)
    : IConsumer<InquirePaymentStatus>
{
    public async Task Consume(ConsumeContext<InquirePaymentStatus> context)
    {
        var request = context.Message;
        if (request.Gateway == PaymentGateways.Singapay && string.IsNullOrEmpty(request.Reference.GatewayTransactionId))
        {
            // Singapay's Inquiry Status takes its own ids only; asking by our reference would only ever say "not found".
            LogNothingToAskBy(logger, request.PaymentId);
            return;
        }

        InquiryResult result;
        try
        {
            result = await gateways.Get(request.Gateway).InquireAsync(request.Reference, context.CancellationToken);
        }
        catch (GatewayUnavailableException ex)
        {
            result = InquiryResult.Unknown("gateway_unavailable", ex.Message);
        }

        LogAnswer(logger, request.PaymentId, request.Gateway, result.Status, result.ResponseCode);
        await context.Publish(GatewayStatusReported.From(result, request.PaymentId, request.Gateway,
            TransitionCauses.Poll, request.FinalCheck, clock.GetUtcNow()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: no Singapay transaction id to inquire by; not asking by reference")]
    private static partial void LogNothingToAskBy(ILogger logger, Guid paymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: {Gateway} inquiry says {Status} {Code}")]
    private static partial void LogAnswer(ILogger logger, Guid paymentId, string gateway, GatewayPaymentStatus status, string? code);
}
