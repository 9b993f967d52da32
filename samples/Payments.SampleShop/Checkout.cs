using System.Globalization;
using MassTransit;
using Payments.Contracts;

namespace Payments.SampleShop;

/// <summary>Sends one charge per test card to the processor's queue, waits for every outcome, then stops the shop.</summary>
public sealed class Checkout(IBus bus, ShopOrders orders, IConfiguration configuration, IHostApplicationLifetime lifetime) : BackgroundService
{
    // Success, 3-D Secure (open the printed link to finish it), declined by the issuer. Shop:Cards=… to choose.
    private static readonly string[] DefaultCards = ["4111111111111111", "4000000000003220", "4000000000000002"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cards = configuration["Shop:Cards"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? DefaultCards;
        var wait = TimeSpan.FromSeconds(double.Parse(configuration["Shop:WaitSeconds"] ?? "120", CultureInfo.InvariantCulture));
        var queue = await bus.GetSendEndpoint(PaymentsBus.ChargeRequestsAddress);
        foreach (var card in cards)
        {
            var charge = NewCharge(card);
            orders.Opened(charge.PaymentId, charge.MerchantReference);
            await queue.Send(charge, stoppingToken);
            Console.WriteLine($"{charge.MerchantReference}: asked to charge {CardMask.Mask(card)} (payment {charge.PaymentId})");
        }

        // By default the shop stops once only customers' 3-D Secure is left; Shop:WaitForCustomer=true waits for them too.
        var waitForCustomer = bool.TryParse(configuration["Shop:WaitForCustomer"], out var yes) && yes;
        var done = waitForCustomer ? orders.AllCompleted : orders.AllSettledOrAwaitingCustomer;
        var finished = await Task.WhenAny(done, Task.Delay(wait, stoppingToken));
        if (finished != done)
            Console.WriteLine($"Still open after {wait.TotalSeconds:0} s: {string.Join(", ", orders.StillOpen)}");
        else if (orders.AwaitingTheCustomer.Count > 0)
            Console.WriteLine($"Waiting for the customer's 3-D Secure: {string.Join(", ", orders.AwaitingTheCustomer)} (outcomes follow as PaymentCompleted)");
        Environment.ExitCode = finished == done ? 0 : 1;
        lifetime.StopApplication();
    }

    private static ChargeRequested NewCharge(string cardNumber) => new()
    {
        PaymentId = NewId.NextGuid(),
        MerchantReference = $"SHOP-{DateTime.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(100_000, 999_999)}",
        Amount = 150_000,
        Currency = "IDR",
        GoodsName = "Premium Subscription",
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
            Number = cardNumber,
            Expiry = DateTime.UtcNow.AddYears(3).ToString("yyMM", CultureInfo.InvariantCulture),
            Cvv = "123",
            HolderName = "John Doe",
            HolderEmail = "john@example.com",
        },
    };
}
