using Payments.Contracts;
using Payments.Processor.Payments;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>A ChargeRequested from the bus is checked by the same rules as POST /payments, and ends Failed with all of them.</summary>
public sealed class ValidationOverTheBusTests
{
    [Fact]
    public async Task An_invalid_command_ends_Failed_listing_every_failing_field_and_what_is_kept_fits_the_columns()
    {
        await using var harness = await SagaHarness.Start();
        var charge = Charges.Valid() with
        {
            MerchantReference = "ORD/" + new string('r', 200) + "\0",
            AccountId = new string('A', 1_000),
            Currency = "IDRX",
            Card = Charges.Valid().Card! with { Number = "4111111111111112" },
        };

        await harness.Send(charge);

        var payment = await harness.WaitFor(charge.PaymentId, m => m.Failed);
        var completed = Assert.Single(await harness.Published<PaymentCompleted>(c => c.PaymentId == charge.PaymentId));
        Assert.Equal(FailureCodes.Validation, completed.FailureCode);
        Assert.Equal(
            "MerchantReference: must be at most 100 characters; AccountId: must be a merchant account ULID (26 letters and digits, " +
            "e.g. 01K5G4FZZ18DMK0M5QTR8Y9QY9) or absent for the configured account; Currency: must be IDR, the only ISO 4217 " +
            "currency the gateways accept; Card.Number: is not a valid card number (its check digit is wrong)",
            payment.FailureReason);
        Assert.Equal(payment.FailureReason, completed.FailureReason);
        // The same fields, as a list, that POST /payments would have answered 400 with.
        Assert.Equivalent(ChargeRequestValidator.ByField(ChargeRequestValidator.Validate(charge, harness.Clock.GetUtcNow())),
            completed.ValidationErrors, strict: true);
        Assert.Equal(["MerchantReference", "AccountId", "Currency", "Card.Number"], completed.ValidationErrors!.Keys);
        Assert.True(payment.MerchantReference.Length <= 100);
        Assert.DoesNotContain('\0', payment.MerchantReference);
        Assert.True(payment.AccountId!.Length <= 64);
        Assert.Equal("ID…", payment.Currency); // cut to its 3-character column, visibly
        Assert.Equal(0, harness.Gateway.Charges);
    }
}
