using Microsoft.Extensions.Configuration;
using Payments.Processor.Configuration;
using Payments.Processor.Hosting;
using Xunit;

namespace Payments.Processor.Tests.Hosting;

public sealed class ProcessorSettingsTests
{
    private static ProcessorSettings Read(params (string Key, string Value)[] values) =>
        ProcessorSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Nothing_configured_is_the_embedded_default()
    {
        var settings = Read();

        Assert.Equal(TransportKind.InMemory, settings.Transport);
        Assert.Equal(DatabaseProvider.InMemory, settings.Database);
        Assert.True(settings.EmbeddedSandbox);
        Assert.False(settings.IsDurable);
    }

    [Fact]
    public void RabbitMq_and_PostgreSql_is_durable_without_the_sandbox()
    {
        var settings = Read(("RabbitMq:Host", "rabbit"), ("RabbitMq:Port", "5673"), ("Database:Provider", "PostgreSql"),
            ("ConnectionStrings:Payments", "Host=db"));

        Assert.True(settings.IsDurable);
        Assert.Equal(5673, settings.RabbitMq!.Port);
        Assert.Equal("/", settings.RabbitMq.VirtualHost);
        Assert.Equal(RabbitMqSettings.DefaultPrefetchCount, settings.RabbitMq.PrefetchCount);
        Assert.False(settings.RabbitMq.QuorumQueues);
        Assert.False(settings.EmbeddedSandbox);
    }

    [Fact]
    public void The_prefetch_count_can_be_set()
    {
        var settings = Read(("RabbitMq:Host", "rabbit"), ("RabbitMq:PrefetchCount", "128"), ("Database:Provider", "PostgreSql"),
            ("ConnectionStrings:Payments", "Host=db"));

        Assert.Equal(128, settings.RabbitMq!.PrefetchCount);
    }

    [Theory]
    [InlineData("Database:Provider", "Oracle", "Database:Provider")]
    [InlineData("RabbitMq:Port", "5672", "RabbitMq:Host")]
    [InlineData("RabbitMq:PrefetchCount", "8", "RabbitMq:Host")]
    [InlineData("RabbitMq:QueueType", "quorum", "RabbitMq:Host")]
    [InlineData("Sandbox:Embedded", "yes", "Sandbox:Embedded")]
    [InlineData("Database:MigrateOnStart", "maybe", "Database:MigrateOnStart")]
    public void A_bad_setting_names_its_key(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read((key, value)));
        Assert.Equal(named, error.Key);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_database_without_a_connection_string_names_the_connection_string()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(("Database:Provider", "SqlServer")));
        Assert.Equal("ConnectionStrings:Payments", error.Key);
    }

    [Fact]
    public void RabbitMq_without_a_database_is_refused()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(("RabbitMq:Host", "rabbit")));
        Assert.Equal("Database:Provider", error.Key);
    }

    [Fact]
    public void A_bad_port_names_the_port()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(("RabbitMq:Host", "rabbit"), ("RabbitMq:Port", "amqp")));
        Assert.Equal("RabbitMq:Port", error.Key);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("many")]
    [InlineData("70000")]
    public void A_bad_prefetch_count_names_the_setting(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(("RabbitMq:Host", "rabbit"), ("RabbitMq:PrefetchCount", value),
            ("Database:Provider", "PostgreSql"), ("ConnectionStrings:Payments", "Host=db")));
        Assert.Equal("RabbitMq:PrefetchCount", error.Key);
    }

    [Theory]
    [InlineData("quorum", true)]
    [InlineData("Quorum", true)]
    [InlineData("classic", false)]
    public void The_queue_type_is_classic_or_quorum(string value, bool quorum)
    {
        var settings = Read(("RabbitMq:Host", "rabbit"), ("RabbitMq:QueueType", value), ("Database:Provider", "PostgreSql"),
            ("ConnectionStrings:Payments", "Host=db"));

        Assert.Equal(quorum, settings.RabbitMq!.QuorumQueues);
    }

    [Fact]
    public void Another_queue_type_names_the_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(("RabbitMq:Host", "rabbit"), ("RabbitMq:QueueType", "stream"),
            ("Database:Provider", "PostgreSql"), ("ConnectionStrings:Payments", "Host=db")));
        Assert.Equal("RabbitMq:QueueType", error.Key);
    }
}
