using MassTransit;
using Payments.Gateways;
using Payments.IntegrationTests.Support;
using Payments.Processor.Payments;
using Xunit;

namespace Payments.IntegrationTests;

/// <summary>Duplicates, redeliveries and races on real services.</summary>
[Collection(RealServices.Name)]
public sealed class DeliveryGuaranteeTests(DurableEnvironment environment) : IClassFixture<DurableEnvironment>
{
    [Fact]
    public async Task A_duplicate_ChargeRequested_on_the_bus_charges_once()
    {
        var charge = Charges.Valid("4111111111111111");

        await Task.WhenAll(
            environment.Merchant.Bus.Publish(charge, TestContext.Current.CancellationToken),
            environment.Merchant.Bus.Publish(charge, TestContext.Current.CancellationToken));
        await environment.Merchant.WaitForCompletion(charge.PaymentId);
        await Task.Delay(1000, TestContext.Current.CancellationToken);

        Assert.Equal(1, environment.SingapayLedger.ChargesFor(charge.MerchantReference));
        Assert.Equal(1, environment.Merchant.CompletedCount(charge.PaymentId));
    }

    [Fact]
    public async Task A_redelivered_message_has_no_second_effect()
    {
        var charge = Charges.Valid("4000000000000002");
        await environment.Merchant.Bus.Publish(charge, TestContext.Current.CancellationToken);
        await environment.Merchant.WaitForCompletion(charge.PaymentId);
        var before = await environment.WaitForStatus(charge.PaymentId, "Failed");
        var entriesBefore = before.GetProperty("transitions").GetArrayLength();

        // The same message (same MessageId) twice: the inbox remembers it, so only one late report is recorded.
        var report = new GatewayStatusReported
        {
            PaymentId = charge.PaymentId,
            Gateway = "Singapay",
            Source = TransitionCauses.Callback,
            Status = GatewayPaymentStatus.Failed,
            ResponseCode = "SP001",
            ReportedAt = DateTimeOffset.UtcNow,
        };
        var messageId = NewId.NextGuid();
        await environment.Merchant.Bus.Publish(report, c => c.MessageId = messageId, TestContext.Current.CancellationToken);
        await environment.Merchant.Bus.Publish(report, c => c.MessageId = messageId, TestContext.Current.CancellationToken);
        await Task.Delay(2000, TestContext.Current.CancellationToken);

        var after = await environment.WaitForStatus(charge.PaymentId, "Failed");
        var lateReports = after.GetProperty("transitions").EnumerateArray().Skip(entriesBefore)
            .Count(t => t.GetProperty("detail").GetString()!.Contains("SP001"));
        Assert.Equal(1, lateReports);
        Assert.Equal(1, environment.Merchant.CompletedCount(charge.PaymentId));
    }

    [Fact]
    public async Task A_callback_and_an_inquiry_result_racing_for_one_payment_complete_it_once_and_keep_both()
    {
        var charge = Charges.Valid("4000000000003220");
        await environment.Merchant.Bus.Publish(charge, TestContext.Current.CancellationToken);
        await environment.WaitForStatus(charge.PaymentId, "Redirect");

        GatewayStatusReported Report(string source) => new()
        {
            PaymentId = charge.PaymentId,
            Gateway = "Singapay",
            Source = source,
            Status = GatewayPaymentStatus.Succeeded,
            AuthorizationCode = "654321",
            ReportedAt = DateTimeOffset.UtcNow,
        };
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            environment.Merchant.Bus.Publish(Report(i % 2 == 0 ? TransitionCauses.Callback : TransitionCauses.Poll), TestContext.Current.CancellationToken)));

        await environment.Merchant.WaitForCompletion(charge.PaymentId);
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        var payment = await environment.WaitForStatus(charge.PaymentId, "Succeeded");
        var entries = payment.GetProperty("transitions").EnumerateArray().ToList();
        Assert.Single(entries, t => t.GetProperty("to").GetString() == "Succeeded" && t.GetProperty("from").GetString() == "Redirect");
        Assert.Equal(3, entries.Count(t => t.GetProperty("detail").GetString()!.StartsWith("late report after Succeeded", StringComparison.Ordinal)));
        Assert.Equal(1, environment.Merchant.CompletedCount(charge.PaymentId));
        Assert.Equal(1, environment.SingapayLedger.ChargesFor(charge.MerchantReference));
    }
}
