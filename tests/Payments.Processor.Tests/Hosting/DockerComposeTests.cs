using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Payments.Processor.Hosting;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Payments.Processor.Tests.Hosting;

/// <summary>
/// Docker can't run here, so docker-compose.yml is checked as a user would depend on it: every key it gives the
/// processor is a real setting, images are pinned, ports stay on loopback, the processor waits for healthy services,
/// and the secrets come from an uncommitted .env.
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly string[] KnownPrefixes =
    [
        "Urls", "RabbitMq:Host", "RabbitMq:Port", "RabbitMq:VirtualHost", "RabbitMq:Username", "RabbitMq:Password",
        "Database:Provider", "Database:MigrateOnStart", "ConnectionStrings:Payments", "Sandbox:Embedded",
        "Auth:MerchantApiKeys", "Auth:OpsApiKeys",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "OTEL_METRICS_EXPORTER",
    ];

    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Every_processor_key_in_compose_is_a_setting_the_processor_reads()
    {
        var environment = _compose.Environment("processor");
        Assert.NotEmpty(environment);

        foreach (var key in environment.Keys)
        {
            var setting = ListIndex().Replace(key, "");
            var known = KnownPrefixes.Contains(setting)
                        || BindsTo<global::Payments.Processor.Payments.PaymentOptions>(setting, "Payments:")
                        || BindsTo<global::Payments.Gateways.Singapay.SingapayOptions>(setting, "Gateways:Singapay:")
                        || BindsTo<global::Payments.Gateways.Finpay.FinpayOptions>(setting, "Gateways:Finpay:");
            Assert.True(known, $"docker-compose.yml gives the processor {key}, which nothing reads");
        }
    }

    [Fact]
    public void The_compose_settings_make_a_durable_processor_on_SqlServer()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(_compose.Environment("processor").Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build();

        var settings = ProcessorSettings.Read(configuration);

        Assert.True(settings.IsDurable);
        Assert.Equal(DatabaseProvider.SqlServer, settings.Database);
        Assert.Equal("rabbitmq", settings.RabbitMq!.Host);
        Assert.False(settings.EmbeddedSandbox);
    }

    [Fact]
    public void After_3DS_the_browser_returns_to_the_processor_at_its_published_address()
    {
        var processor = _compose.Environment("processor");
        var sandbox = _compose.Environment("sandbox");
        var published = ComposeFile.Strings(ComposeFile.Get(_compose.Services["processor"], "ports")).Single();

        Assert.Equal("127.0.0.1:8080:8080", published);
        Assert.Equal("http://localhost:8080", processor["Payments:PublicUrl"]);
        Assert.Equal($"{processor["Payments:PublicUrl"]}/payments/return", sandbox["Sandbox:Singapay:ThreeDsReturnUrl"]);
    }

    [Fact]
    public void Every_image_is_pinned_to_a_version()
    {
        var images = _compose.Services.Values.Select(s => ComposeFile.Get(s, "image")).OfType<YamlScalarNode>().Select(i => i.Value!).ToList();
        Assert.NotEmpty(images);

        Assert.All(images, image => Assert.True(IsPinned(image), $"{image} is not pinned to a version"));
    }

    [Fact]
    public void Every_published_port_is_bound_to_loopback()
    {
        var ports = _compose.Services.SelectMany(s => ComposeFile.Strings(ComposeFile.Get(s.Value, "ports")).Select(p => (Service: s.Key, Port: p))).ToList();
        Assert.NotEmpty(ports);

        Assert.All(ports, p => Assert.True(p.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal),
            $"{p.Service} publishes {p.Port} on every interface; write 127.0.0.1:{p.Port}"));
    }

    [Fact]
    public void Every_service_has_a_health_check()
    {
        foreach (var (name, service) in _compose.Services)
        {
            var healthcheck = ComposeFile.Get(service, "healthcheck") as YamlMappingNode;
            Assert.True(healthcheck is not null, $"{name} has no healthcheck");
            Assert.NotEmpty(ComposeFile.Strings(ComposeFile.Get(healthcheck, "test")));
        }
    }

    [Fact]
    public void SQL_Server_is_healthy_when_sqlcmd_can_run_a_query()
    {
        var test = string.Join(' ', ComposeFile.Strings(ComposeFile.Get((YamlMappingNode)ComposeFile.Get(_compose.Services["sqlserver"], "healthcheck")!, "test")));

        Assert.Contains("/opt/mssql-tools18/bin/sqlcmd", test, StringComparison.Ordinal);
        Assert.Contains(" -C ", test, StringComparison.Ordinal);
        Assert.Contains("SELECT 1", test, StringComparison.Ordinal);
    }

    [Fact]
    public void The_processor_starts_only_once_every_other_service_is_healthy()
    {
        var dependsOn = (YamlMappingNode)ComposeFile.Get(_compose.Services["processor"], "depends_on")!;
        var dependencies = dependsOn.Children.ToDictionary(d => ((YamlScalarNode)d.Key).Value!,
            d => ((YamlScalarNode)ComposeFile.Get((YamlMappingNode)d.Value, "condition")!).Value);

        Assert.Equal(_compose.Services.Keys.Where(s => s != "processor").Order(), dependencies.Keys.Order());
        Assert.All(dependencies, d => Assert.Equal("service_healthy", d.Value));
    }

    [Fact]
    public void Secrets_come_from_the_env_file_which_is_not_committed()
    {
        var environment = _compose.Services.Keys.SelectMany(_compose.Environment).ToList();
        var secrets = environment.Where(e => SecretKey().IsMatch(e.Key)).ToList();
        var connectionStrings = environment.Where(e => e.Value.Contains("Password=", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(secrets, s => s.Key == "MSSQL_SA_PASSWORD");
        Assert.Contains(secrets, s => s.Key == "RabbitMq:Password");
        Assert.Contains(secrets, s => s.Key.StartsWith("Auth:MerchantApiKeys", StringComparison.Ordinal));
        Assert.Contains(secrets, s => s.Key.StartsWith("Payments:CardEncryption:Keys:", StringComparison.Ordinal));
        Assert.NotEmpty(connectionStrings);

        Assert.All(secrets, s => Assert.True(WholeInterpolation().IsMatch(s.Value), $"{s.Key} is written in docker-compose.yml; take it from .env"));
        Assert.All(connectionStrings, s => Assert.True(PasswordInterpolation().IsMatch(s.Value), $"{s.Key} holds a password; take it from .env"));
        var example = File.ReadAllLines(ComposeFile.RepositoryFile(".env.example"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=')[0]).ToHashSet();
        var variables = secrets.Concat(connectionStrings).SelectMany(s => Interpolation().Matches(s.Value)).Select(m => m.Groups[1].Value).ToList();
        Assert.All(variables, v => Assert.True(example.Contains(v), $"{v} is missing from .env.example"));
        Assert.Contains(".env", File.ReadAllLines(ComposeFile.RepositoryFile(".gitignore")));
        Assert.Contains(".env", File.ReadAllLines(ComposeFile.RepositoryFile(".dockerignore")));
    }

    internal static bool IsPinned(string image)
    {
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var tag = lastSegment.Contains(':', StringComparison.Ordinal) ? lastSegment[(lastSegment.IndexOf(':', StringComparison.Ordinal) + 1)..] : "";
        return tag.Length > 0 && !tag.Contains("latest", StringComparison.OrdinalIgnoreCase) && tag.Any(char.IsDigit);
    }

    private static bool BindsTo<TOptions>(string key, string prefix) =>
        key.StartsWith(prefix, StringComparison.Ordinal)
        && typeof(TOptions).GetProperty(key[prefix.Length..].Split(':')[0]) is not null;

    [GeneratedRegex(@":\d+$")]
    private static partial Regex ListIndex();

    [GeneratedRegex("PASSWORD|PASS$|Password|ApiKeys|CardEncryption:Keys", RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"^\$\{[A-Z0-9_]+(?::?[-?][^}]*)?\}$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeInterpolation();

    [GeneratedRegex(@"Password=\$\{[A-Z0-9_]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInterpolation();
}
