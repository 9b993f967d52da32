using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.Gateways.Singapay.Tests.Support;
using Payments.Sandbox;
using Xunit;

namespace Payments.Gateways.Singapay.Tests;

public sealed class SingapayOptionsTests
{
    [Fact]
    public void The_default_credentials_are_the_sandbox_defaults()
    {
        var client = new SingapayOptions();
        var sandbox = new SingapaySandboxOptions();

        Assert.Equal(sandbox.ApiKey, client.ApiKey);
        Assert.Equal(sandbox.ClientId, client.ClientId);
        Assert.Equal(sandbox.ClientSecret, client.ClientSecret);
        Assert.Equal(sandbox.AccountId, client.AccountId);
        Assert.Equal(new Uri(new SandboxOptions().Url + "/singapay"), new Uri(client.BaseUrl));
    }

    [Theory]
    [InlineData("ClientSecret", "", "Gateways:Singapay:ClientSecret is required.")]
    [InlineData("ApiKey", " ", "Gateways:Singapay:ApiKey is required.")]
    [InlineData("ClientId", "", "Gateways:Singapay:ClientId is required.")]
    [InlineData("AccountId", "", "Gateways:Singapay:AccountId is required.")]
    [InlineData("BaseUrl", "not a url", "Gateways:Singapay:BaseUrl must be an absolute http(s) URL.")]
    [InlineData("TokenRefreshMargin", "-00:00:01", "Gateways:Singapay:TokenRefreshMargin must be between 0 and 1 hour.")]
    [InlineData("CallbackTimestampTolerance", "00:00:00", "Gateways:Singapay:CallbackTimestampTolerance must be above 0 and at most 1 hour.")]
    public async Task Invalid_settings_are_reported_with_their_configuration_key(string key, string value, string message)
    {
        await using var harness = GatewayHarness.Create(settings: new Dictionary<string, string?> { [$"Gateways:Singapay:{key}"] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => harness.Services.GetRequiredService<IOptions<SingapayOptions>>().Value);

        Assert.Contains(message, failure.Failures);
    }

    [Fact]
    public async Task Settings_are_bound_from_the_Gateways_Singapay_section()
    {
        await using var harness = GatewayHarness.Create(baseUrl: "https://sandbox-payment-b2b.singapay.id", settings: new Dictionary<string, string?>
        {
            ["Gateways:Singapay:ClientSecret"] = "live-secret",
            ["Gateways:Singapay:TokenRefreshMargin"] = "00:02:00",
        });

        var options = harness.Services.GetRequiredService<IOptions<SingapayOptions>>().Value;

        Assert.Equal("https://sandbox-payment-b2b.singapay.id", options.BaseUrl);
        Assert.Equal("live-secret", options.ClientSecret);
        Assert.Equal(TimeSpan.FromMinutes(2), options.TokenRefreshMargin);
    }

    [Fact]
    public async Task Both_the_gateway_and_the_verifier_are_registered_beside_others()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IPaymentGateway, OtherGateway>();
        services.AddSingapayGateway(configuration);
        await using var provider = services.BuildServiceProvider();

        var gateways = provider.GetServices<IPaymentGateway>().Select(g => g.Name).ToList();
        var verifiers = provider.GetServices<IGatewayCallbackVerifier>().Select(v => v.Gateway).ToList();

        Assert.Equal(["Other", "Singapay"], gateways);
        Assert.Equal(["Singapay"], verifiers);
        Assert.Equal("Singapay", new PaymentGatewayRouter(provider.GetServices<IPaymentGateway>()).Get("Singapay").Name);
    }

    private sealed class OtherGateway : IPaymentGateway
    {
        public string Name => "Other";
        public Task<ChargeResult> ChargeAsync(Contracts.ChargeRequested charge, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<InquiryResult> InquireAsync(GatewayPaymentReference reference, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<CancelResult> CancelAsync(GatewayPaymentReference reference, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
