using MassTransit;
using Payments.Contracts;

namespace Payments.SampleShop;

/// <summary>What the processor tells the shop: each status, the 3-D Secure link for the customer, and the outcome.</summary>
public sealed class PaymentEventsConsumer(ShopOrders orders) :
    IConsumer<PaymentStatusChanged>, IConsumer<PaymentRedirectRequired>, IConsumer<PaymentCompleted>
{
    public Task Consume(ConsumeContext<PaymentStatusChanged> context)
    {
        var changed = context.Message;
        if (orders.IsOurs(changed.PaymentId))
            Console.WriteLine($"{changed.MerchantReference}: {changed.PreviousStatus ?? "(new)"} -> {changed.Status}");
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PaymentRedirectRequired> context)
    {
        var redirect = context.Message;
        if (!orders.IsOurs(redirect.PaymentId))
            return Task.CompletedTask;
        Console.WriteLine($"{redirect.MerchantReference}: send the customer to {redirect.PaymentUrl ?? "(no URL; render RedirectHtml)"} " +
                          $"before {redirect.ExpiresAt:u}");
        orders.AwaitingCustomer(redirect.PaymentId);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PaymentCompleted> context)
    {
        var completed = context.Message;
        if (!orders.IsOurs(completed.PaymentId))
            return Task.CompletedTask;
        Console.WriteLine(completed.Succeeded
            ? $"{completed.MerchantReference}: PAID {completed.Amount} {completed.Currency} with {completed.CardMasked} at {completed.Gateway}"
            : $"{completed.MerchantReference}: NOT PAID ({completed.FailureCode}: {completed.FailureReason})");
        orders.Completed(completed.PaymentId);
        return Task.CompletedTask;
    }
}
