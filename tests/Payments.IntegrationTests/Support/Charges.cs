using Payments.Contracts;

namespace Payments.IntegrationTests.Support;

public static class Charges
{
    public static ChargeRequested Card(string number) => new()
    {
        PaymentId = Guid.NewGuid(),
        MerchantReference = "IT-" + Guid.NewGuid().ToString("N")[..20],
        Amount = 250_000,
        Currency = "IDR",
        GoodsName = "Annual plan",
        Customer = new Customer
        {
            Name = "Siti Rahma",
            Email = "siti@example.com",
            Phone = "08123456789",
            Address = "Jl. Thamrin 10",
            City = "Jakarta",
            State = "DKI Jakarta",
            PostalCode = "10230",
            Country = "ID",
        },
        Card = new CardDetails { Number = number, Expiry = "3012", Cvv = "321", HolderName = "Siti Rahma", HolderEmail = "siti@example.com" },
    };
}
