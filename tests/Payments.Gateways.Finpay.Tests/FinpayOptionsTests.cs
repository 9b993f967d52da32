using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Sandbox;
using Xunit;

namespace Payments.Gateways.Finpay.Tests;

public sealed class FinpayOptionsTests
{
    [Fact]
    public async Task The_defaults_reach_the_local_sandbox_with_its_default_credentials()
    {
        await using var services = FinpayServices.Create();
        var options = services.Services.GetRequiredService<IOptions<FinpayOptions>>().Value;
        var sandbox = new SandboxOptions();

        Assert.Equal("http://127.0.0.1:5090/finpay", options.BaseUrl);
        Assert.Equal(new Uri(new Uri(sandbox.Url), "/finpay"), new Uri(options.BaseUrl));
        Assert.Equal(sandbox.Finpay.MerchantId, options.MerchantId);
        Assert.Equal(sandbox.Finpay.MerchantKey, options.MerchantKey);
    }

    [Theory]
    [InlineData("Gateways:Finpay:MerchantKey", "")]
    [InlineData("Gateways:Finpay:MerchantId", " ")]
    [InlineData("Gateways:Finpay:MerchantId", "has:colon")]
    [InlineData("Gateways:Finpay:BaseUrl", "devo.finnet.co.id")]
    [InlineData("Gateways:Finpay:ResponseCodes:Success", "200")]
    [InlineData("Gateways:Finpay:ResponseCodes:DeclinedPrefixes", "4x")]
    public async Task Invalid_settings_are_refused_naming_the_key(string key, string value)
    {
        await using var services = FinpayServices.Create(settings: new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(
            () => services.Services.GetRequiredService<IOptions<FinpayOptions>>().Value);

        Assert.Contains(key, failure.Message);
    }

    [Fact]
    public async Task The_gateway_and_verifier_are_added_beside_other_gateways_registrations()
    {
        await using var services = FinpayServices.Create();

        var gateways = services.Services.GetServices<IPaymentGateway>().ToList();
        var verifiers = services.Services.GetServices<IGatewayCallbackVerifier>().ToList();

        Assert.Contains(gateways, g => g.Name == PaymentGateways.Finpay);
        Assert.Contains(verifiers, v => v.Gateway == PaymentGateways.Finpay);
        Assert.Contains(PaymentGateways.Finpay, services.Services.GetRequiredService<Resilience.IGatewayCircuitMonitor>().Gateways);
    }
}
