using Payments.Contracts;

namespace Payments.Gateways;

/// <summary>
/// A card gateway as the payment saga sees it. Adapters (Singapay, Finpay) translate to their wire formats.
/// <para>
/// <see cref="ChargeAsync"/> is called at most once per payment. It never throws for a request that may have
/// reached the gateway: such failures come back as <see cref="ChargeResultKind.OutcomeUnknown"/>, to be settled
/// by <see cref="InquireAsync"/>. It throws <see cref="GatewayUnavailableException"/> only when the request
/// certainly did not leave this process (an open circuit, a refused connection).
/// </para>
/// </summary>
public interface IPaymentGateway
{
    string Name { get; }

    Task<ChargeResult> ChargeAsync(ChargeRequested charge, CancellationToken cancellationToken);

    Task<InquiryResult> InquireAsync(GatewayPaymentReference reference, CancellationToken cancellationToken);

    /// <summary>Voids a payment that has not succeeded, refunds one that has.</summary>
    Task<CancelResult> CancelAsync(GatewayPaymentReference reference, CancellationToken cancellationToken);

    /// <summary>Why <see cref="CancelAsync"/> cannot cancel this payment, or null when it can.</summary>
    string? CannotCancel(GatewayPaymentReference reference) => null;
}

/// <summary>How to find a payment at its gateway: by the gateway's id when known, else by the merchant reference.</summary>
public sealed record GatewayPaymentReference(string MerchantReference, string? GatewayTransactionId, string? AccountId);
