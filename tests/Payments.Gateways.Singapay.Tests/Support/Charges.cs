using Payments.Contracts;

namespace Payments.Gateways.Singapay.Tests.Support;

public static class Charges
{
    public const string SuccessCard = "4111111111111111";

    /// <summary>A valid one-time payment; the expiry is always in the future.</summary>
    public static ChargeRequested Valid(string card = SuccessCard, string? reference = null, int? installmentMonths = null) => new()
    {
        PaymentId = Guid.NewGuid(),
        MerchantReference = reference ?? "ORD-" + Guid.NewGuid().ToString("N")[..16],
        Amount = 100_000,
        GoodsName = "Premium Subscription",
        Description = "Monthly subscription fee",
        InstallmentMonths = installmentMonths,
        Customer = new Customer
        {
            Name = "John Doe",
            Email = "john@example.com",
            Phone = "08123456789",
            Address = "Jl. Sudirman No. 1",
            City = "Jakarta",
            State = "DKI Jakarta",
            PostalCode = "10210",
            Country = "ID",
        },
        Card = new CardDetails
        {
            Number = card,
            Expiry = DateTime.UtcNow.AddYears(3).ToString("yyMM", System.Globalization.CultureInfo.InvariantCulture),
            Cvv = "123",
            HolderName = "John Doe",
            HolderEmail = "john@example.com",
        },
    };
}
