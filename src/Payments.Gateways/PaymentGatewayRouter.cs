using Payments.Contracts;

namespace Payments.Gateways;

/// <summary>Chooses the adapter: a stored card goes to Finpay, card details to Singapay.</summary>
public sealed class PaymentGatewayRouter(IEnumerable<IPaymentGateway> gateways)
{
    private readonly Dictionary<string, IPaymentGateway> _byName =
        gateways.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);

    public static string GatewayFor(ChargeRequested charge) =>
        charge.StoredCard is not null ? PaymentGateways.Finpay : PaymentGateways.Singapay;

    public IPaymentGateway For(ChargeRequested charge) => Get(GatewayFor(charge));

    public IPaymentGateway Get(string name) =>
        _byName.TryGetValue(name, out var gateway)
            ? gateway
            : throw new InvalidOperationException($"No gateway named '{name}' is registered.");

    public bool IsRegistered(string name) => _byName.ContainsKey(name);
}
