using System.Reflection;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Gateways.Finpay;
using Payments.Gateways.Singapay;
using Payments.Processor.Tests.Persistence;
using Payments.Sandbox.Finpay;
using Xunit;

namespace Payments.Processor.Tests.Payments;

/// <summary>
/// FailureCode is one documented vocabulary on every gateway: every constant is in <see cref="FailureCodes.All"/>, the
/// contract documents each, and every gateway code either adapter can meet maps into it.
/// </summary>
public sealed class FailureVocabularyTests
{
    private static readonly string[] Constants = typeof(FailureCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void The_set_is_exactly_the_FailureCodes_constants()
    {
        Assert.Equal(Constants.Order(StringComparer.Ordinal), FailureCodes.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_contract_documents_every_failure_code()
    {
        var contracts = File.ReadAllText(Path.Combine(SqlServerSchemaTests.RepositoryRoot(), "docs", "contracts.md"));

        Assert.All(FailureCodes.All, code => Assert.Contains($"| `{code}` |", contracts, StringComparison.Ordinal));
    }

    public static TheoryData<string> SingapayResponseCodeValues() => new(typeof(SingapayResponseCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!));

    [Theory]
    [MemberData(nameof(SingapayResponseCodeValues))]
    public void Every_Singapay_charge_decline_maps_into_the_set(string responseCode)
    {
        if (SingapayResponseCodes.ForCharge(responseCode) != ChargeCodeMeaning.Declined)
            return; // accepted, token refused or unknown: no failure code is given for those

        Assert.Contains(SingapayFailureCodes.ForCharge(responseCode, "any message"), FailureCodes.All);
        Assert.Contains(SingapayFailureCodes.ForCharge(responseCode, null), FailureCodes.All);
    }

    [Theory]
    [InlineData("SP001", "Payment declined by issuer", FailureCodes.CardDeclined)]
    [InlineData("SP001", "Card Expiri Date Check Please.", FailureCodes.ExpiredCard)]
    [InlineData("SP003", "Insufficient balance", FailureCodes.InsufficientFunds)]
    [InlineData("SP018", "The amount field is required.", FailureCodes.Validation)]
    [InlineData("SP017", "IP not whitelisted", FailureCodes.GatewayRejected)]
    public void Singapay_charge_declines_read_as(string responseCode, string message, string expected) =>
        Assert.Equal(expected, SingapayFailureCodes.ForCharge(responseCode, message));

    [Fact]
    public void Every_Singapay_provider_code_and_any_other_maps_into_the_set()
    {
        Assert.All(SingapayFailureCodes.ProviderCodes.Values, code => Assert.Contains(code, FailureCodes.All));
        foreach (var provider in SingapayFailureCodes.ProviderCodes.Keys.Cast<string?>().Append("99").Append("").Append(null))
        {
            Assert.Contains(SingapayFailureCodes.ForTransaction(GatewayPaymentStatus.Failed, provider), FailureCodes.All);
            Assert.Equal(FailureCodes.Cancelled, SingapayFailureCodes.ForTransaction(GatewayPaymentStatus.Cancelled, provider));
        }
        Assert.Equal(FailureCodes.CardDeclined, SingapayFailureCodes.ForTransaction(GatewayPaymentStatus.Failed, "05"));
        Assert.Equal(FailureCodes.InsufficientFunds, SingapayFailureCodes.ForTransaction(GatewayPaymentStatus.Failed, "51"));
        Assert.Equal(FailureCodes.ExpiredCard, SingapayFailureCodes.ForTransaction(GatewayPaymentStatus.Failed, "54"));
        Assert.Equal(FailureCodes.ThreeDsNotCompleted, SingapayFailureCodes.ForTransaction(GatewayPaymentStatus.Failed, "3DS"));
    }

    public static TheoryData<string> FinpaySandboxCodes() => new(typeof(FinpayCode)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(FinpayCode))
        .Select(f => ((FinpayCode)f.GetValue(null)!).Code));

    [Theory]
    [MemberData(nameof(FinpaySandboxCodes))]
    [InlineData("4019999")]
    [InlineData("4229999")]
    [InlineData("9999999")]
    [InlineData("")]
    [InlineData(FinpayFailureCodes.NoStoredCard)]
    public void Every_Finpay_code_maps_into_the_set(string code)
    {
        Assert.Contains(FinpayFailureCodes.For(code), FailureCodes.All);
        Assert.Contains(FinpayFailureCodes.ForPayment(GatewayPaymentStatus.Failed, code), FailureCodes.All);
        Assert.Equal(FailureCodes.Cancelled, FinpayFailureCodes.ForPayment(GatewayPaymentStatus.Cancelled, code));
    }

    [Theory]
    [InlineData("4030005", FailureCodes.CardDeclined)]
    [InlineData("4030014", FailureCodes.InsufficientFunds)]
    [InlineData("4030054", FailureCodes.ExpiredCard)]
    [InlineData("4040011", FailureCodes.InvalidCard)]
    [InlineData("4000002", FailureCodes.Validation)]
    [InlineData(null, FailureCodes.CardDeclined)]
    public void Finpay_codes_read_as(string? code, string expected) =>
        Assert.Equal(expected, FinpayFailureCodes.For(code));
}
