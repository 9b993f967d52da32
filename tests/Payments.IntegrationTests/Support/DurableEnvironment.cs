using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Processor;
using Payments.Sandbox;
using Payments.Sandbox.Finpay;
using Payments.Sandbox.Singapay;
using Payments.Testing;
using Xunit;

namespace Payments.IntegrationTests.Support;

/// <summary>
/// Production shape on real services: the processor on RabbitMQ and PostgreSQL, the gateway sandbox as a separate
/// server (as the real gateways are), and a merchant service on the same broker.
/// </summary>
public class DurableEnvironment : IAsyncLifetime
{
    private WebApplication? _processor;
    private WebApplication? _sandbox;

    /// <summary>A test-only card-encryption key (base64, 32 bytes): the cards here are test cards.</summary>
    public const string CardKey = "Q2w5Lf2BJsCme1honcbrMQU2WGFHT0kV3L9t3hg+WgA=";

    public string Name { get; } = "it_" + Guid.NewGuid().ToString("N")[..12];
    public string ConnectionString { get; private set; } = "";
    public EventObserver Merchant { get; private set; } = null!;
    public Uri SandboxAddress { get; private set; } = null!;
    public int ProcessorPort { get; } = LoopbackPorts.Free();
    public Uri ProcessorAddress => new($"http://127.0.0.1:{ProcessorPort}");
    public HttpClient Http { get; private set; } = null!;

    public SingapayLedger SingapayLedger => _sandbox!.Services.GetRequiredService<SingapayLedger>();
    public FinpayLedger FinpayLedger => _sandbox!.Services.GetRequiredService<FinpayLedger>();
    public IServiceProvider ProcessorServices => _processor!.Services;
    public IServiceProvider SandboxServices => _sandbox!.Services;

    /// <summary>Whether this fixture runs the processor in the test process (not as a child process).</summary>
    protected virtual bool InProcessProcessor => true;

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await TestServices.CreateDatabase(Name);
        await TestServices.CreateVirtualHost(Name);

        var sandboxPort = LoopbackPorts.Free();
        _sandbox = SandboxApp.Build(
        [
            $"--Sandbox:Url=http://127.0.0.1:{sandboxPort}",
            $"--Sandbox:Singapay:CallbackUrl={ProcessorAddress}webhooks/singapay",
            $"--Sandbox:Finpay:CallbackUrl={ProcessorAddress}webhooks/finpay",
            "--Sandbox:Singapay:Simulation:CallbackRetryInterval=00:00:00.500",
            "--Sandbox:Singapay:Simulation:HangDelay=00:00:03",
            "--Sandbox:Singapay:Simulation:UpstreamTimeoutDelay=00:00:00.200",
            "--Sandbox:Finpay:Simulation:CallbackRetryInterval=00:00:00.500",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _sandbox.StartAsync(TestContext.Current.CancellationToken);
        SandboxAddress = new Uri($"http://127.0.0.1:{sandboxPort}");

        Merchant = await EventObserver.Start(Name);
        Http = TestApiKeys.Client(ProcessorAddress);
        if (InProcessProcessor)
            await StartProcessor();
    }

    /// <summary>The processor's settings, as configuration keys (the same ones docker-compose sets).</summary>
    public virtual Dictionary<string, string> ProcessorSettings() => new(TestApiKeys.Settings()!)
    {
        ["Urls"] = ProcessorAddress.ToString(),
        ["RabbitMq:Host"] = TestServices.RabbitMq.Host,
        ["RabbitMq:Port"] = TestServices.RabbitMq.Port.ToString(CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = Name,
        ["RabbitMq:Username"] = "guest",
        ["RabbitMq:Password"] = "guest",
        ["Database:Provider"] = "PostgreSql",
        ["ConnectionStrings:Payments"] = ConnectionString,
        ["Sandbox:Embedded"] = "false",
        // A durable processor refuses to start without one; the same for every fixture, as restarts must open what was sealed.
        ["Payments:CardEncryption:CurrentKeyId"] = "it",
        ["Payments:CardEncryption:Keys:it"] = CardKey,
        ["Gateways:Singapay:BaseUrl"] = $"{SandboxAddress}singapay",
        ["Gateways:Finpay:BaseUrl"] = $"{SandboxAddress}finpay",
        ["Gateways:Singapay:Resilience:AttemptTimeout:Charge"] = "00:00:01",
        // Configured lists replace the defaults (they used to be appended to them, so these tests ran with the
        // defaults' first polls at 2 s and 5 s): keep those, so polls don't race the callbacks the tests send.
        ["Payments:InquiryBackoff:0"] = "00:00:02",
        ["Payments:InquiryBackoff:1"] = "00:00:05",
        ["Payments:InquiryBackoff:2"] = "00:00:15",
        ["Payments:RetryIntervals:0"] = "00:00:00.100",
        ["Payments:RetryIntervals:1"] = "00:00:00.300",
        ["Payments:RetryIntervals:2"] = "00:00:01",
        ["Payments:RetryIntervals:3"] = "00:00:02",
        ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("IT_LOG") ?? "Warning",
        ["Logging:LogLevel:MassTransit"] = "Error",
    };

    public async Task StartProcessor()
    {
        var settings = ProcessorSettings();
        _processor = PaymentsApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings!);
            ConfigureProcessor(builder);
        });
        await _processor.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Changes to the in-process processor, after its settings: later configuration wins.</summary>
    protected virtual void ConfigureProcessor(WebApplicationBuilder builder)
    {
    }

    public Task<Guid> Post(ChargeRequested charge) => Http.Charge(charge);

    public Task<JsonElement> WaitForStatus(Guid paymentId, string status, TimeSpan? timeout = null) =>
        Http.WaitForStatus(paymentId, status, timeout ?? TimeSpan.FromSeconds(60));

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Http?.Dispose();
        if (_processor is not null)
        {
            await _processor.StopAsync();
            await _processor.DisposeAsync();
        }
        if (Merchant is not null)
            await Merchant.DisposeAsync();
        if (_sandbox is not null)
        {
            await _sandbox.StopAsync();
            await _sandbox.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealServices
{
    public const string Name = "real services";
}
