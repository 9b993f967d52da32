using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.IntegrationTests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>
/// A refund and a void end to end over RabbitMQ and PostgreSQL, asked twice over HTTP and once more over the bus:
/// the sandbox's ledger shows one cancel call and at most one refund, and the merchant hears the outcome once.
/// </summary>
[Collection(RealServices.Name)]
public sealed class RefundFlowTests(DurableEnvironment environment) : IClassFixture<DurableEnvironment>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_succeeded_payment_is_refunded_once()
    {
        var charge = Charges.Valid("4111111111111111");
        var id = await environment.Post(charge);
        Assert.True((await environment.Merchant.WaitForCompletion(id)).Succeeded);

        Assert.Equal(HttpStatusCode.Accepted, (await Post(id, "refund", "refund-1")).StatusCode);
        var payment = await environment.WaitForStatus(id, "Refunded");
        var again = await Post(id, "refund", "refund-1");
        var other = await Post(id, "refund", "refund-2");
        await environment.Merchant.Bus.Publish(new RefundPayment { PaymentId = id, Reason = "over the bus", IdempotencyKey = "refund-3" }, Ct);

        Assert.Equal("refund-1", payment.GetProperty("refund").GetProperty("idempotencyKey").GetString());
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        await Eventually(() => environment.Merchant.RefundsFailed.Any(f => f.PaymentId == id && f.IdempotencyKey == "refund-3"));
        await Task.Delay(500, Ct); // room for a wrong second event to show up
        var refunded = Assert.Single(environment.Merchant.Refunded, r => r.PaymentId == id);
        Assert.Equal(100_000, refunded.Amount);
        Assert.Equal(RefundFailureCodes.AlreadyCancelled,
            Assert.Single(environment.Merchant.RefundsFailed, f => f.PaymentId == id).Code);
        Assert.Equal(1, environment.Merchant.CompletedCount(id));
        var entry = environment.SingapayLedger.Find(charge.MerchantReference)!;
        Assert.Equal("refunded", entry.Status);
        Assert.Equal(1, entry.Refunds);
        Assert.Equal(1, entry.CancelRequests);
        Assert.Equal(1, environment.SingapayLedger.ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task A_payment_still_processing_at_the_gateway_is_voided_once()
    {
        var simulation = environment.SandboxServices.GetRequiredService<SingapaySimulationOptions>();
        var settle = simulation.SettleDelay;
        simulation.SettleDelay = TimeSpan.FromHours(1);
        var charge = Charges.Valid("4111111111111111");
        Guid id;
        try
        {
            id = await environment.Post(charge);
            await environment.WaitForStatus(id, "Processing");
        }
        finally
        {
            simulation.SettleDelay = settle;
        }

        Assert.Equal(HttpStatusCode.Accepted, (await Post(id, "void", "void-1")).StatusCode);
        await environment.WaitForStatus(id, "Voided");
        var again = await Post(id, "void", "void-1");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await Task.Delay(500, Ct); // room for a wrong second event to show up
        var voided = Assert.Single(environment.Merchant.Voided, v => v.PaymentId == id);
        Assert.Equal("void-1", voided.IdempotencyKey);
        Assert.Equal(0, environment.Merchant.CompletedCount(id));
        var entry = environment.SingapayLedger.Find(charge.MerchantReference)!;
        Assert.Equal("cancelled", entry.Status);
        Assert.Equal(0, entry.Refunds);
        Assert.Equal(1, entry.CancelRequests);
        var statuses = environment.Merchant.StatusChanges.Where(s => s.PaymentId == id).Select(s => s.Status).Order(StringComparer.Ordinal);
        Assert.Equal(["Pending", "Processing", "Refunding", "Voided"], statuses);
    }

    private Task<HttpResponseMessage> Post(Guid id, string kind, string key) =>
        environment.Http.PostAsJsonAsync($"/payments/{id}/{kind}", new { reason = "customer asked", idempotencyKey = key }, Ct);

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
            await Task.Delay(50, Ct);
        Assert.True(condition(), "not within 30 s");
    }
}
