using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.Gateways.Resilience;
using Xunit;

namespace Payments.Gateways.Tests.Resilience;

public sealed class GatewayResilienceOptionsTests
{
    private static GatewayClients WithConfiguration(Dictionary<string, string?> configuration) =>
        GatewayClients.Create(
            new Dictionary<string, (string, HttpMessageHandler?)>
            {
                ["Finpay"] = ("Finpay", null),
                ["Singapay"] = ("Singapay", null),
            },
            configuration: configuration);

    [Fact]
    public async Task Defaults_match_the_documented_values()
    {
        await using var clients = WithConfiguration([]);
        var options = clients.Services.GetRequiredService<IOptionsMonitor<GatewayResilienceOptions>>().Get("Finpay");

        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout.Charge);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout.Inquiry);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout.Token);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout.Cancel);
        Assert.Equal(3, options.RetryCount);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.BaseDelay);
        Assert.Equal(0.5, options.FailureRatio);
        Assert.Equal(10, options.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BreakDuration);
    }

    [Fact]
    public async Task Each_gateway_binds_its_own_configuration_section()
    {
        await using var clients = WithConfiguration(new()
        {
            ["Gateways:Finpay:Resilience:AttemptTimeout:Charge"] = "00:00:45",
            ["Gateways:Finpay:Resilience:RetryCount"] = "5",
            ["Gateways:Singapay:Resilience:BreakDuration"] = "00:01:00",
        });
        var monitor = clients.Services.GetRequiredService<IOptionsMonitor<GatewayResilienceOptions>>();

        Assert.Equal(TimeSpan.FromSeconds(45), monitor.Get("Finpay").AttemptTimeout.Charge);
        Assert.Equal(5, monitor.Get("Finpay").RetryCount);
        Assert.Equal(TimeSpan.FromSeconds(30), monitor.Get("Finpay").BreakDuration);
        Assert.Equal(TimeSpan.FromMinutes(1), monitor.Get("Singapay").BreakDuration);
        Assert.Equal(3, monitor.Get("Singapay").RetryCount);
    }

    [Fact]
    public async Task Invalid_options_are_refused_naming_the_configuration_key()
    {
        await using var clients = WithConfiguration(new()
        {
            ["Gateways:Finpay:Resilience:MinimumThroughput"] = "1",
            ["Gateways:Finpay:Resilience:AttemptTimeout:Inquiry"] = "00:00:00",
        });
        var monitor = clients.Services.GetRequiredService<IOptionsMonitor<GatewayResilienceOptions>>();

        var failure = Assert.Throws<OptionsValidationException>(() => monitor.Get("Finpay"));

        Assert.Contains("Gateways:Finpay:Resilience:MinimumThroughput", failure.Message);
        Assert.Contains("Gateways:Finpay:Resilience:AttemptTimeout:Inquiry", failure.Message);
        Assert.Equal(3, monitor.Get("Singapay").RetryCount);
    }
}
