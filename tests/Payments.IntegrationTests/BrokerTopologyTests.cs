using System.Net;
using System.Net.Http.Json;
using Payments.Contracts;
using Payments.IntegrationTests.Support;
using Payments.Testing;
using RabbitMQ.Client.Exceptions;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>
/// The interfaces payment messages implement (<see cref="IPaymentMessage"/> and its gateway and status variants) are
/// for reading messages: the processor declares no exchange for them, so the broker's topology is one exchange per
/// message type, as before they existed.
/// </summary>
[Collection(RealServices.Name)]
public sealed class BrokerTopologyTests(DurableEnvironment environment) : IClassFixture<DurableEnvironment>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_charge_and_its_refund_declare_no_exchange_for_the_payment_message_interfaces()
    {
        // Over HTTP only, so every publish is the processor's (the merchant here only consumes).
        var id = await environment.Post(Charges.Valid("4111111111111111"));
        Assert.True((await environment.Merchant.WaitForCompletion(id)).Succeeded);
        var refund = await environment.Http.PostAsJsonAsync($"/payments/{id}/refund", new { reason = "goods returned", idempotencyKey = "refund-1" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, refund.StatusCode);
        await Eventually.Until(() => environment.Merchant.Refunded.Any(r => r.PaymentId == id), "the merchant hears the refund", TimeSpan.FromSeconds(60));

        // The messages themselves did get their exchanges: the check below would see one.
        foreach (var published in new[] { typeof(ChargeRequested), typeof(RefundPayment), typeof(PaymentCompleted), typeof(PaymentRefunded) })
            Assert.True(await ExchangeExists(ExchangeName(published)), $"{ExchangeName(published)} was not declared");
        foreach (var excluded in new[] { typeof(IPaymentMessage), typeof(IPaymentGatewayMessage), typeof(IPaymentStatusMessage) })
            Assert.False(await ExchangeExists(ExchangeName(excluded)), $"{ExchangeName(excluded)} was declared");
    }

    /// <summary>MassTransit's name for a message type's exchange: Namespace:Type.</summary>
    private static string ExchangeName(Type type) => $"{type.Namespace}:{type.Name}";

    /// <summary>A passive declaration succeeds only on an existing exchange (and closes the channel otherwise).</summary>
    private async Task<bool> ExchangeExists(string exchange)
    {
        await using var broker = await BrokerQueues.Open(environment.Name);
        try
        {
            await broker.Channel.ExchangeDeclarePassiveAsync(exchange, Ct);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
