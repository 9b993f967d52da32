using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Payments.Processor.Hosting;
using Payments.Processor.Tests.Persistence;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

/// <summary>Docker can't run here: at least every environment key compose gives the processor must bind to a real setting.</summary>
public sealed class DockerComposeTests
{
    private static readonly string[] KnownPrefixes =
    [
        "Urls", "RabbitMq:Host", "RabbitMq:Port", "RabbitMq:VirtualHost", "RabbitMq:Username", "RabbitMq:Password",
        "Database:Provider", "Database:MigrateOnStart", "ConnectionStrings:Payments", "Sandbox:Embedded",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "OTEL_METRICS_EXPORTER",
    ];

    private static Dictionary<string, string> ProcessorEnvironment()
    {
        var compose = File.ReadAllLines(Path.Combine(SqlServerSchemaTests.RepositoryRoot(), "docker-compose.yml"));
        var start = Array.FindIndex(compose, l => l == "  processor:");
        var environment = Array.FindIndex(compose, start, l => l.Trim() == "environment:");
        return compose.Skip(environment + 1)
            .TakeWhile(l => l.StartsWith("      - ", StringComparison.Ordinal))
            .Select(l => Regex.Match(l.Trim(), @"^- ([^=]+)=(.*)$"))
            .ToDictionary(m => m.Groups[1].Value.Replace("__", ":"), m => m.Groups[2].Value);
    }

    [Fact]
    public void Every_processor_key_in_compose_is_a_setting_the_processor_reads()
    {
        var environment = ProcessorEnvironment();
        Assert.NotEmpty(environment);

        foreach (var key in environment.Keys)
        {
            var known = KnownPrefixes.Contains(key)
                        || key.StartsWith("Auth:MerchantApiKeys", StringComparison.Ordinal)
                        || key.StartsWith("Auth:OpsApiKeys", StringComparison.Ordinal)
                        || BindsTo<global::Payments.Gateways.Singapay.SingapayOptions>(key, "Gateways:Singapay:")
                        || BindsTo<global::Payments.Gateways.Finpay.FinpayOptions>(key, "Gateways:Finpay:");
            Assert.True(known, $"docker-compose.yml gives the processor {key}, which nothing reads");
        }
    }

    [Fact]
    public void The_compose_settings_make_a_durable_processor_on_SqlServer()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(ProcessorEnvironment().Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();

        var settings = ProcessorSettings.Read(configuration);

        Assert.True(settings.IsDurable);
        Assert.Equal(DatabaseProvider.SqlServer, settings.Database);
        Assert.Equal("rabbitmq", settings.RabbitMq!.Host);
        Assert.False(settings.EmbeddedSandbox);
    }

    private static bool BindsTo<TOptions>(string key, string prefix) =>
        key.StartsWith(prefix, StringComparison.Ordinal)
        && typeof(TOptions).GetProperty(key[prefix.Length..].Split(':')[0]) is not null;
}
