using Payments.Contracts;

namespace Payments.Gateways;

/// <summary>Chooses the adapter: a stored card goes to Finpay, card details to Singapay.</summary>
public sealed class PaymentGatewayRouter(IEnumerable<IPaymentGateway> gateways)
{
    private readonly Dictionary<string, IPaymentGateway> _byName =
        gateways.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The contract's own rule; a charge with no card at all (refused later as invalid) counts as Singapay's.</summary>
    public static string GatewayFor(ChargeRequested charge) =>
        ((IPaymentGatewayMessage)charge).Gateway ?? PaymentGateways.Singapay;

    public IPaymentGateway For(ChargeRequested charge) => Get(GatewayFor(charge));

    public IPaymentGateway Get(string name) =>
        _byName.TryGetValue(name, out var gateway)
            ? gateway
            : throw new InvalidOperationException($"No gateway named '{name}' is registered.");

    public bool IsRegistered(string name) => _byName.ContainsKey(name);
}
