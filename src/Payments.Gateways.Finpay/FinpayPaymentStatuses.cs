namespace Payments.Gateways.Finpay;

/// <summary>
/// Finpay's payment statuses (assumed: Finpay does not publish the list) as the gateway port's statuses.
/// One-click charges have no 3-D Secure step, so nothing maps to Pending: a payment still being worked on is Processing.
/// </summary>
public static class FinpayPaymentStatuses
{
    public static GatewayPaymentStatus ToGatewayStatus(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        "PAID" or "CAPTURED" or "SUCCESS" or "SETTLED" => GatewayPaymentStatus.Succeeded,
        "PENDING" or "PROCESSING" or "AUTHORIZED" => GatewayPaymentStatus.Processing,
        "FAILED" or "DECLINED" or "REJECTED" or "EXPIRED" => GatewayPaymentStatus.Failed,
        "CANCELLED" or "CANCELED" or "VOIDED" or "REFUNDED" => GatewayPaymentStatus.Cancelled,
        _ => GatewayPaymentStatus.Unknown,
    };
}
