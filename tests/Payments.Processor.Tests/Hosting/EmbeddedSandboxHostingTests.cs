using Microsoft.Extensions.Configuration;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

/// <summary>
/// What the published processor (no sandbox compiled in) demands before it starts. The tests themselves run with the
/// sandbox; infra/check-publish.sh starts the real published build to see it fail.
/// </summary>
public sealed class EmbeddedSandboxHostingTests
{
    [Fact]
    public void Tests_and_dotnet_run_get_the_sandbox_compiled_in()
    {
        Assert.True(EmbeddedSandboxHosting.IsCompiledIn);
    }

    [Fact]
    public void Without_the_sandbox_a_missing_gateway_BaseUrl_stops_start_up_naming_the_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => EmbeddedSandboxHosting.RequireGatewaysWithoutSandbox(
            Configuration(("Gateways:Finpay:BaseUrl", "https://finpay.example/api"))));

        Assert.Equal("Gateways:Singapay:BaseUrl", error.Key);
        Assert.Contains("Gateways:Singapay:BaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_sandbox_each_gateway_needs_its_own_BaseUrl()
    {
        var error = Assert.Throws<InvalidSettingException>(() => EmbeddedSandboxHosting.RequireGatewaysWithoutSandbox(
            Configuration(("Gateways:Singapay:BaseUrl", "https://singapay.example"))));

        Assert.Equal("Gateways:Finpay:BaseUrl", error.Key);
    }

    [Fact]
    public void Without_the_sandbox_asking_for_it_stops_start_up_naming_Sandbox_Embedded()
    {
        var error = Assert.Throws<InvalidSettingException>(() => EmbeddedSandboxHosting.RequireGatewaysWithoutSandbox(
            Configuration(("Sandbox:Embedded", "true"), ("Gateways:Singapay:BaseUrl", "https://singapay.example"),
                ("Gateways:Finpay:BaseUrl", "https://finpay.example/api"))));

        Assert.Equal("Sandbox:Embedded", error.Key);
        Assert.Contains("dotnet publish", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_sandbox_both_gateway_BaseUrls_are_enough()
    {
        var configuration = Configuration(("Gateways:Singapay:BaseUrl", "https://singapay.example"),
            ("Gateways:Finpay:BaseUrl", "https://finpay.example/api"));

        var error = Record.Exception(() => EmbeddedSandboxHosting.RequireGatewaysWithoutSandbox(configuration));

        Assert.Null(error);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
