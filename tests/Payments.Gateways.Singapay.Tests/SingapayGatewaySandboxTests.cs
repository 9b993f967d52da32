using System.Net;
using System.Text.RegularExpressions;
using Payments.Gateways.Singapay.Tests.Support;
using Payments.Sandbox.Singapay;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

/// <summary>The adapter against the real sandbox over HTTP: the two sides implement the wire protocol independently.</summary>
public sealed class SingapayGatewaySandboxTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<InquiryResult> InquireByReference(string reference) =>
        sandbox.Gateway.InquireAsync(new GatewayPaymentReference(reference, null, null), Ct);

    [Fact]
    public async Task The_success_card_is_accepted_and_inquiry_then_reports_success()
    {
        var charge = Charges.Valid(SingapayTestCards.Success);

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);
        var inquiry = await sandbox.Gateway.InquireAsync(
            new GatewayPaymentReference(charge.MerchantReference, result.GatewayTransactionId, null), Ct);

        Assert.Equal(ChargeResultKind.Accepted, result.Kind);
        Assert.StartsWith("99", result.GatewayTransactionId);
        Assert.Matches("^[0-9]{6}$", result.AuthorizationCode!);
        Assert.Equal("411111******1111", result.CardMasked);
        Assert.Equal(GatewayPaymentStatus.Succeeded, inquiry.Status);
        Assert.Equal(result.AuthorizationCode, inquiry.AuthorizationCode);
        Assert.Equal(1, sandbox.Ledger.ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task The_3DS_card_redirects_to_a_page_whose_Confirm_button_makes_the_payment_succeed()
    {
        var charge = Charges.Valid(SingapayTestCards.ThreeDs);

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);

        Assert.Equal(ChargeResultKind.RedirectRequired, result.Kind);
        var reference = new GatewayPaymentReference(charge.MerchantReference, result.GatewayTransactionId, null);
        Assert.Equal(GatewayPaymentStatus.Pending, (await sandbox.Gateway.InquireAsync(reference, Ct)).Status);

        var pageUrl = FormAction(result.RedirectHtml!);
        Assert.EndsWith($"/singapay/3ds/{result.GatewayTransactionId}", pageUrl);
        var page = await sandbox.Browser.GetStringAsync(pageUrl, Ct);
        Assert.Contains("Confirm", page);
        Assert.Contains("400000******3220", page);
        Assert.DoesNotContain(SingapayTestCards.ThreeDs, page);
        using var confirm = await sandbox.Browser.PostAsync(pageUrl,
            new FormUrlEncodedContent([new("action", "confirm"), new("otp", "123456")]), Ct);

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var inquiry = await sandbox.Gateway.InquireAsync(reference, Ct);
        Assert.Equal(GatewayPaymentStatus.Succeeded, inquiry.Status);
        Assert.NotNull(inquiry.AuthorizationCode);
    }

    [Fact]
    public async Task Cancelling_on_the_3DS_page_makes_the_payment_fail()
    {
        var charge = Charges.Valid(SingapayTestCards.ThreeDs);
        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);

        using var cancel = await sandbox.Browser.PostAsync(FormAction(result.RedirectHtml!),
            new FormUrlEncodedContent([new("action", "cancel")]), Ct);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(GatewayPaymentStatus.Failed, (await InquireByReference(charge.MerchantReference)).Status);
    }

    [Theory]
    [InlineData(SingapayTestCards.Declined, "SP001", "Payment declined by issuer", "card_declined", "05")]
    [InlineData(SingapayTestCards.InsufficientFunds, "SP003", "Insufficient balance", "insufficient_funds", "51")]
    [InlineData(SingapayTestCards.ExpiredCard, "SP001", "Card Expiri Date Check Please.", "expired_card", "54")]
    public async Task Declining_cards_are_declined_with_Singapay_code_and_message(string card, string code, string message,
        string failureCode, string providerCode)
    {
        var charge = Charges.Valid(card);

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);

        Assert.Equal(ChargeResultKind.Declined, result.Kind);
        Assert.Equal(code, result.ResponseCode);
        Assert.Equal(message, result.ResponseMessage);
        Assert.Equal(failureCode, result.FailureCode);
        var inquiry = await InquireByReference(charge.MerchantReference);
        Assert.Equal(GatewayPaymentStatus.Failed, inquiry.Status);
        Assert.Equal(providerCode, inquiry.ResponseCode);
        Assert.Equal(failureCode, inquiry.FailureCode);
    }

    [Fact]
    public async Task An_expired_card_is_declined_with_SP001_and_the_expiry_message()
    {
        var charge = Charges.Valid() with { Card = Charges.Valid().Card! with { Expiry = "2001" } };

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);

        Assert.Equal(ChargeResultKind.Declined, result.Kind);
        Assert.Equal("SP001", result.ResponseCode);
        Assert.Equal("Card Expiri Date Check Please.", result.ResponseMessage);
    }

    [Fact]
    public async Task A_field_error_is_declined_with_SP018_naming_the_field()
    {
        var charge = Charges.Valid() with { Customer = Charges.Valid().Customer with { Email = "not-an-email" } };

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);

        Assert.Equal(ChargeResultKind.Declined, result.Kind);
        Assert.Equal("SP018", result.ResponseCode);
        Assert.Contains("customer_email", result.ResponseMessage);
    }

    [Fact]
    public async Task The_SP005_card_is_outcome_unknown_and_inquiry_by_reference_then_finds_the_success()
    {
        var charge = Charges.Valid(SingapayTestCards.UpstreamTimeout);

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);
        var inquiry = await InquireByReference(charge.MerchantReference);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal("SP005", result.ResponseCode);
        Assert.Null(result.GatewayTransactionId);
        Assert.Equal(GatewayPaymentStatus.Succeeded, inquiry.Status);
        Assert.Equal(1, sandbox.Ledger.ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task The_hanging_card_times_out_as_outcome_unknown_though_the_charge_went_through()
    {
        var charge = Charges.Valid(SingapayTestCards.Hang);

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);
        var inquiry = await InquireByReference(charge.MerchantReference);

        Assert.Equal(ChargeResultKind.OutcomeUnknown, result.Kind);
        Assert.Equal("timeout", result.ResponseCode);
        Assert.Equal(GatewayPaymentStatus.Succeeded, inquiry.Status);
        Assert.Equal(1, sandbox.Ledger.ChargesFor(charge.MerchantReference));
    }

    [Fact]
    public async Task A_second_charge_with_the_same_reference_is_outcome_unknown_SP004_and_charges_nothing()
    {
        var charge = Charges.Valid();
        var first = await sandbox.Gateway.ChargeAsync(charge, Ct);

        var second = await sandbox.Gateway.ChargeAsync(charge with { PaymentId = Guid.NewGuid() }, Ct);

        Assert.Equal(ChargeResultKind.Accepted, first.Kind);
        Assert.Equal(ChargeResultKind.OutcomeUnknown, second.Kind);
        Assert.Equal("SP004", second.ResponseCode);
        Assert.Equal(1, sandbox.Ledger.ChargesFor(charge.MerchantReference));
        Assert.Equal(2, sandbox.Ledger.PaymentRequestsFor(charge.MerchantReference));
    }

    [Fact]
    public async Task Cancelling_before_success_voids()
    {
        var charge = Charges.Valid(SingapayTestCards.ThreeDs);
        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);
        var reference = new GatewayPaymentReference(charge.MerchantReference, result.GatewayTransactionId, null);

        var cancel = await sandbox.Gateway.CancelAsync(reference, Ct);

        Assert.True(cancel.Cancelled);
        Assert.Equal("void", cancel.CancelType);
        var inquiry = await sandbox.Gateway.InquireAsync(reference, Ct);
        Assert.Equal(GatewayPaymentStatus.Cancelled, inquiry.Status);
        Assert.Equal("void", inquiry.CancelType);
        Assert.Equal("cancelled", sandbox.Ledger.Find(charge.MerchantReference)!.Status);
        Assert.Equal(0, sandbox.Ledger.RefundsFor(charge.MerchantReference));
    }

    [Fact]
    public async Task Cancelling_after_success_refunds_and_a_second_cancel_is_refused()
    {
        var charge = Charges.Valid();
        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);
        var reference = new GatewayPaymentReference(charge.MerchantReference, result.GatewayTransactionId, null);
        Assert.Equal(GatewayPaymentStatus.Succeeded, (await sandbox.Gateway.InquireAsync(reference, Ct)).Status);

        var refund = await sandbox.Gateway.CancelAsync(reference, Ct);
        var again = await sandbox.Gateway.CancelAsync(reference, Ct);

        Assert.True(refund.Cancelled);
        Assert.Equal("refund", refund.CancelType);
        Assert.Equal("refunded", sandbox.Ledger.Find(charge.MerchantReference)!.Status);
        Assert.False(again.Cancelled);
        Assert.Equal("SP019", again.ResponseCode);
        var inquiry = await sandbox.Gateway.InquireAsync(reference, Ct);
        Assert.Equal(GatewayPaymentStatus.Cancelled, inquiry.Status);
        Assert.Equal("refund", inquiry.CancelType);
        Assert.Equal(1, sandbox.Ledger.RefundsFor(charge.MerchantReference));
        Assert.Equal(2, sandbox.Ledger.Find(charge.MerchantReference)!.CancelRequests);
    }

    [Fact]
    public void Cancel_needs_Singapay_own_transaction_id()
    {
        Assert.NotNull(sandbox.Gateway.CannotCancel(new GatewayPaymentReference("ORD-1", null, null)));
        Assert.Null(sandbox.Gateway.CannotCancel(new GatewayPaymentReference("ORD-1", "99TX", null)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(12)]
    public async Task Installment_payments_are_accepted_and_recorded(int months)
    {
        var charge = Charges.Valid(installmentMonths: months);

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);

        Assert.Equal(ChargeResultKind.Accepted, result.Kind);
        Assert.Equal(months, sandbox.Ledger.Find(charge.MerchantReference)!.InstallmentMonths);
    }

    [Fact]
    public async Task An_unknown_reference_is_not_found()
    {
        Assert.Equal(GatewayPaymentStatus.NotFound, (await InquireByReference("ORD-NEVER-SENT")).Status);
    }

    [Fact]
    public async Task After_the_sandbox_revokes_tokens_the_adapter_refreshes_once_and_the_charge_goes_through_once()
    {
        Assert.Equal(ChargeResultKind.Accepted, (await sandbox.Gateway.ChargeAsync(Charges.Valid(), Ct)).Kind);
        sandbox.SandboxTokens.RevokeAll();
        var charge = Charges.Valid();

        var result = await sandbox.Gateway.ChargeAsync(charge, Ct);

        Assert.Equal(ChargeResultKind.Accepted, result.Kind);
        Assert.Equal(1, sandbox.Ledger.ChargesFor(charge.MerchantReference));
    }

    private static string FormAction(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "action=\"([^\"]+)\"").Groups[1].Value);
}
