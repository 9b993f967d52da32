using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Payments.Processor.Auth;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;
using Payments.Processor.Tests.Observability.Support;
using Xunit;

namespace Payments.Processor.Tests.Auth;

public sealed class ApiKeysTests
{
    private static ApiKeys Read(bool durable, params (string Key, string Value)[] values) =>
        ApiKeys.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build(), durable);

    [Fact]
    public void The_embedded_default_without_keys_makes_up_one_merchant_and_one_ops_key()
    {
        var keys = Read(durable: false);

        Assert.True(keys.Generated);
        var merchant = Assert.Single(keys.MerchantKeys);
        var ops = Assert.Single(keys.OpsKeys);
        Assert.StartsWith("merchant_", merchant);
        Assert.StartsWith("ops_", ops);
        Assert.Equal([ApiKeyRoles.Merchant], keys.RolesOf(merchant));
        Assert.Equal([ApiKeyRoles.Ops], keys.RolesOf(ops));
        Assert.NotEqual(merchant, Read(durable: false).MerchantKeys[0]);
    }

    [Fact]
    public void A_durable_processor_without_merchant_keys_refuses_to_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(durable: true));

        Assert.Equal("Auth:MerchantApiKeys", error.Key);
        Assert.Contains("Auth:MerchantApiKeys", error.Message);
    }

    [Fact]
    public void Keys_are_lists_or_comma_separated_and_each_grants_its_own_role()
    {
        var keys = Read(durable: true,
            ("Auth:MerchantApiKeys:0", "merchant-key-0000000001"), ("Auth:MerchantApiKeys:1", "merchant-key-0000000002"),
            ("Auth:OpsApiKeys", "ops-key-00000000000001, ops-key-00000000000002"));

        Assert.False(keys.Generated);
        Assert.Equal(["merchant-key-0000000001", "merchant-key-0000000002"], keys.MerchantKeys);
        Assert.Equal(["ops-key-00000000000001", "ops-key-00000000000002"], keys.OpsKeys);
        Assert.Equal([ApiKeyRoles.Merchant], keys.RolesOf("merchant-key-0000000002"));
        Assert.Equal([ApiKeyRoles.Ops], keys.RolesOf("ops-key-00000000000002"));
        Assert.Empty(keys.RolesOf("merchant-key-000000000"));
        Assert.Empty(keys.RolesOf(""));
    }

    [Fact]
    public void A_short_key_is_refused()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(durable: false, ("Auth:OpsApiKeys:0", "short")));
        Assert.Equal("Auth:OpsApiKeys", error.Key);
    }

    [Fact]
    public void The_embedded_default_prints_its_made_up_keys_once_at_start()
    {
        var logs = new CapturingLoggerProvider();
        using var app = PaymentsApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Urls"] = "http://127.0.0.1:0" });
            builder.Logging.AddProvider(logs);
        });

        var keys = (ApiKeys)app.Services.GetService(typeof(ApiKeys))!;
        var line = Assert.Single(logs.Lines, l => l.Contains("API keys", StringComparison.Ordinal));
        Assert.Contains(keys.MerchantKeys[0], line);
        Assert.Contains(keys.OpsKeys[0], line);
    }
}
