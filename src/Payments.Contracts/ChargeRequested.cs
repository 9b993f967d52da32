namespace Payments.Contracts;

/// <summary>
/// A command asking the processor to charge a card. <see cref="PaymentId"/> is the correlation id and the
/// idempotency key on the bus: sending the same PaymentId twice never charges twice.
/// Exactly one of <see cref="Card"/> or <see cref="EncryptedCard"/> (one-time payment, Singapay) or <see cref="StoredCard"/>
/// (one-click, Finpay) is set. <see cref="EncryptedCard"/> keeps the card off the broker's disk (see <see cref="CardCipher"/>).
/// </summary>
public record ChargeRequested : IPaymentGatewayMessage
{
    public Guid PaymentId { get; init; }
    public string MerchantReference { get; init; } = "";
    public string? AccountId { get; init; }
    public long Amount { get; init; }
    public string Currency { get; init; } = "IDR";
    public string GoodsName { get; init; } = "";
    public string? Description { get; init; }
    public Customer Customer { get; init; } = new();
    public CardDetails? Card { get; init; }
    public EncryptedCard? EncryptedCard { get; init; }
    public StoredCard? StoredCard { get; init; }
    public int? InstallmentMonths { get; init; }
    public string? ReturnUrl { get; init; }

    /// <summary>Not a field on the wire: a stored card goes to Finpay, card details to Singapay.</summary>
    string? IPaymentGatewayMessage.Gateway => StoredCard is not null ? PaymentGateways.Finpay
        : Card is not null || EncryptedCard is not null ? PaymentGateways.Singapay
        : null;
}

public record Customer
{
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Address { get; init; } = "";
    public string City { get; init; } = "";
    public string State { get; init; } = "";
    public string PostalCode { get; init; } = "";
    public string Country { get; init; } = "";
}

/// <summary>Card data for a one-time payment. It lives only in this command and in the gateway request.</summary>
public record CardDetails
{
    public string Number { get; init; } = "";
    /// <summary>YYMM, e.g. 2912 for December 2029.</summary>
    public string Expiry { get; init; } = "";
    public string Cvv { get; init; } = "";
    public string HolderName { get; init; } = "";
    public string HolderEmail { get; init; } = "";

    // Records print every property; card data must never reach a log line through ToString.
    public override string ToString() => $"CardDetails {{ Number = {CardMask.Mask(Number)} }}";
}

/// <summary>A card stored at Finpay, charged without the customer present (one-click, recurring).</summary>
public record StoredCard
{
    public string Token { get; init; } = "";
    public string CustomerId { get; init; } = "";

    public override string ToString() => $"StoredCard {{ CustomerId = {CustomerId} }}";
}
