using Payments.Contracts;

namespace Payments.Processor.Tests.Support;

public static class Charges
{
    public const string SuccessCard = "4111111111111111";

    public static ChargeRequested Valid(string card = SuccessCard, Guid? paymentId = null) => new()
    {
        PaymentId = paymentId ?? Guid.NewGuid(),
        MerchantReference = $"ORD-{Guid.NewGuid():N}"[..24],
        Amount = 100_000,
        Currency = "IDR",
        GoodsName = "Premium Subscription",
        Description = "Monthly subscription fee",
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
            Expiry = "2912",
            Cvv = "123",
            HolderName = "John Doe",
            HolderEmail = "john@example.com",
        },
    };

    public static ChargeRequested OneClick(string token = "tok_success_visa") => Valid() with
    {
        Card = null,
        StoredCard = new StoredCard { Token = token, CustomerId = "cust-1" },
    };
}
