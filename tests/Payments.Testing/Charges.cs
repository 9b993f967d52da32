using System.Globalization;
using Payments.Contracts;

namespace Payments.Testing;

/// <summary>Charges every check accepts, for any test to send as they are or change with <c>with</c>.</summary>
public static class Charges
{
    public const string SuccessCard = "4111111111111111";

    public static readonly Customer Customer = new()
    {
        Name = "John Doe",
        Email = "john@example.com",
        Phone = "08123456789",
        Address = "Jl. Sudirman No. 1",
        City = "Jakarta",
        State = "DKI Jakarta",
        PostalCode = "10210",
        Country = "ID",
    };

    /// <summary>A one-time card payment; the card expires three years from today, so it never goes stale.</summary>
    public static ChargeRequested Valid(string card = SuccessCard, Guid? paymentId = null, string? reference = null,
        int? installmentMonths = null) => new()
        {
            PaymentId = paymentId ?? Guid.NewGuid(),
            MerchantReference = reference ?? NewReference(),
            Amount = 100_000,
            Currency = "IDR",
            GoodsName = "Premium Subscription",
            Description = "Monthly subscription fee",
            InstallmentMonths = installmentMonths,
            Customer = Customer,
            Card = new CardDetails
            {
                Number = card,
                Expiry = DateTime.UtcNow.AddYears(3).ToString("yyMM", CultureInfo.InvariantCulture),
                Cvv = "123",
                HolderName = "John Doe",
                HolderEmail = "john@example.com",
            },
        };

    /// <summary>A one-click payment with a card the gateway stored (Finpay).</summary>
    public static ChargeRequested OneClick(string token = "tok_success_visa", string? reference = null) => Valid(reference: reference) with
    {
        Card = null,
        StoredCard = new StoredCard { Token = token, CustomerId = "cust-1" },
    };

    private static string NewReference() => $"ORD-{Guid.NewGuid():N}"[..24];
}
