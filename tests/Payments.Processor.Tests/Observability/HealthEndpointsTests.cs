using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Payments.Contracts;
using Payments.Gateways.Resilience;
using Payments.Processor.Health;
using Payments.Processor.Hosting;
using Payments.Processor.Tests.Observability.Support;
using Payments.Sandbox;
using Xunit;

namespace Payments.Processor.Tests.Observability;

public sealed class HealthEndpointsTests : IAsyncDisposable
{
    private readonly TcpListener _reachableGateway = new(IPAddress.Loopback, 0);
    private WebApplication? _app;

    public HealthEndpointsTests() => _reachableGateway.Start();

    private int ReachablePort => ((IPEndPoint)_reachableGateway.LocalEndpoint).Port;

    private async Task<HttpClient> Start(DatabaseProvider database)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateways:Singapay:BaseUrl"] = $"http://127.0.0.1:{ReachablePort}/singapay",
            ["Gateways:Finpay:BaseUrl"] = $"http://127.0.0.1:{LoopbackPorts.Free()}/finpay",
        });
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        // Nothing listens on this port: the database can't be reached.
        builder.Services.AddDbContext<ProbeDbContext>(db => db.UseNpgsql(
            $"Host=127.0.0.1;Port={LoopbackPorts.Free()};Username=payments;Password=payments;Timeout=3"));
        var health = builder.Services.AddPaymentsHealthChecks(builder.Configuration);
        if (database != DatabaseProvider.InMemory)
            health.AddDatabaseCheck<ProbeDbContext>();
        builder.Services.AddPaymentsHealthChecks(builder.Configuration); // a second call adds nothing

        _app = builder.Build();
        _app.MapHealthEndpoints();
        await _app.StartAsync(TestContext.Current.CancellationToken);
        return new HttpClient { BaseAddress = _app.BoundAddress() };
    }

    [Fact]
    public async Task Live_answers_healthy_without_asking_any_dependency()
    {
        using var http = await Start(DatabaseProvider.PostgreSql);

        var response = await http.GetAsync(HealthEndpoints.LivePath, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("entries").EnumerateObject());
    }

    [Fact]
    public async Task Ready_lists_the_bus_and_each_gateway_and_an_unreachable_gateway_only_degrades_it()
    {
        using var http = await Start(DatabaseProvider.InMemory);

        var response = await http.GetAsync(HealthEndpoints.ReadyPath, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        var entries = body.GetProperty("entries");
        Assert.Equal(["bus", "gateway:finpay", "gateway:singapay"], entries.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal("Healthy", entries.GetProperty("bus").GetProperty("status").GetString());
        Assert.Equal("Healthy", entries.GetProperty("gateway:singapay").GetProperty("status").GetString());
        var finpay = entries.GetProperty("gateway:finpay");
        Assert.Equal("Degraded", finpay.GetProperty("status").GetString());
        Assert.Contains("not reachable", finpay.GetProperty("description").GetString());
        Assert.Equal("not registered", finpay.GetProperty("data").GetProperty("circuit").GetString());
    }

    [Fact]
    public async Task Ready_is_503_when_the_database_cannot_be_reached()
    {
        using var http = await Start(DatabaseProvider.PostgreSql);

        var response = await http.GetAsync(HealthEndpoints.ReadyPath, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var database = body.GetProperty("entries").GetProperty("database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.StartsWith("cannot connect", database.GetProperty("description").GetString());
        Assert.DoesNotContain("Password", body.ToString());
    }

    [Fact]
    public async Task A_reachable_gateway_with_an_open_circuit_is_degraded()
    {
        var circuits = new PaymentsMetricsTests.FixedCircuits(new() { [PaymentGateways.Singapay] = GatewayCircuitState.Open });
        var check = new GatewayReachabilityCheck(PaymentGateways.Singapay, () => new Uri($"http://127.0.0.1:{ReachablePort}/singapay"),
            TimeProvider.System, circuits);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("circuit is open", result.Description);
        Assert.Equal("Open", result.Data["circuit"]);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _reachableGateway.Stop();
    }

    private sealed class ProbeDbContext(DbContextOptions<ProbeDbContext> options) : DbContext(options);
}
