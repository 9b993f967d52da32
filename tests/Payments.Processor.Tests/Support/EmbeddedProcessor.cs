using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Payments.Contracts;
using Payments.Processor.Observability;
using Payments.Processor.Tests.Observability.Support;
using Payments.Sandbox;
using Payments.Testing;
using Xunit;

namespace Payments.Processor.Tests.Support;

/// <summary>
/// The processor exactly as `dotnet run` starts it on embedded defaults (in-memory bus and store, sandbox
/// in-process), on free loopback ports, driven over real HTTP.
/// </summary>
public class EmbeddedProcessor : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>Sends <see cref="TestApiKeys.Fixture"/>, which opens the payments and the ops endpoints.</summary>
    public HttpClient Http { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;
    public Uri SandboxAddress { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;
    /// <summary>Every span the processor exports, and every log line it writes.</summary>
    public SpanCollector Spans { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Extra configuration, applied before the processor reads it.</summary>
    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Payments:InquiryBackoff:0"] = "00:00:00.200",
        ["Payments:InquiryBackoff:1"] = "00:00:00.500",
        ["Payments:InquiryBackoff:2"] = "00:00:01",
    };

    public async ValueTask InitializeAsync()
    {
        var sandboxPort = LoopbackPorts.Free();
        Settings["Urls"] = "http://127.0.0.1:0";
        Settings["Sandbox:Url"] = $"http://127.0.0.1:{sandboxPort}";
        foreach (var (key, value) in TestApiKeys.Settings())
            Settings.TryAdd(key, value);
        _app = PaymentsApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(Settings);
            builder.Logging.AddProvider(Logs);
            builder.Logging.AddFilter<CapturingLoggerProvider>(category: null, LogLevel.Trace);
            builder.Services.Configure<PaymentsTelemetryOptions>(o =>
                o.ConfigureTracing.Add(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(Spans))));
        });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        Address = _app.BoundAddress();
        SandboxAddress = new Uri($"http://127.0.0.1:{sandboxPort}");
        Http = TestApiKeys.Client(Address);
    }

    /// <summary>A service of the in-process sandbox, e.g. its ledger of charges.</summary>
    public T Sandbox<T>() where T : notnull =>
        Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<global::Payments.Processor.Hosting.EmbeddedSandbox>()
            .Single().Services!.GetRequiredService<T>();

    public void FlushSpans() => Services.GetRequiredService<TracerProvider>().ForceFlush();

    /// <summary>A client of this processor sending <paramref name="key"/> (none when null).</summary>
    public HttpClient Client(string? key) => TestApiKeys.Client(Address, key);

    public Task<Guid> Charge(ChargeRequested charge) => Http.Charge(charge);

    public async Task<JsonElement> Get(Guid paymentId)
    {
        var response = await Http.GetAsync($"/payments/{paymentId}", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>GET /payments/{id}, or null while it is 404: accepted, but not saved by the saga yet.</summary>
    public async Task<JsonElement?> Find(Guid paymentId)
    {
        var response = await Http.GetAsync($"/payments/{paymentId}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>Polls GET /payments/{id} until it reports <paramref name="status"/>.</summary>
    public Task<JsonElement> WaitForStatus(Guid paymentId, string status, TimeSpan? timeout = null) =>
        Http.WaitForStatus(paymentId, status, timeout ?? TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

}
