using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Contracts;
using Payments.Gateways.Resilience;

namespace Payments.Processor.Health;

public static class HealthChecksServiceCollectionExtensions
{
    /// <summary>Checks tagged with this run on GET /health/ready. MassTransit tags its bus check the same way.</summary>
    public const string ReadyTag = "ready";

    public const string BusCheck = "bus";
    public const string DatabaseCheck = "database";
    public const string DatabaseSchemaCheck = "database-schema";

    /// <summary>The name MassTransit gives the bus check it registers (tags "ready", "masstransit").</summary>
    private const string MassTransitBusCheck = "masstransit-bus";

    public static string GatewayCheck(string gateway) => $"gateway:{gateway.ToLowerInvariant()}";

    /// <summary>
    /// The readiness checks: "bus" (MassTransit's own check, renamed), "gateway:singapay" and "gateway:finpay"
    /// (reachability and circuit, Degraded at worst). The store adds its own (Hosting's PaymentStores): "database",
    /// with "database-schema" when the processor migrates on start. Idempotent.
    /// </summary>
    public static IHealthChecksBuilder AddPaymentsHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var health = services.AddHealthChecks();
        if (services.Any(d => d.ServiceType == typeof(PaymentsHealthChecksRegistered)))
            return health;
        services.AddSingleton<PaymentsHealthChecksRegistered>();
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Name == MassTransitBusCheck))
                registration.Name = BusCheck;
        });
        AddGatewayCheck(health, configuration, PaymentGateways.Singapay, "http://127.0.0.1:5090/singapay");
        AddGatewayCheck(health, configuration, PaymentGateways.Finpay, "http://127.0.0.1:5090/finpay");
        return health;
    }

    public static IHealthChecksBuilder AddDatabaseCheck<TContext>(this IHealthChecksBuilder health) where TContext : DbContext =>
        health.Add(new HealthCheckRegistration(DatabaseCheck,
            provider => ActivatorUtilities.CreateInstance<DatabaseHealthCheck<TContext>>(provider),
            HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5)));

    /// <summary>Not ready until the schema migration at start has succeeded (<see cref="DatabaseSchemaHealthCheck"/>).</summary>
    public static IHealthChecksBuilder AddDatabaseSchemaCheck(this IHealthChecksBuilder health) =>
        health.Add(new HealthCheckRegistration(DatabaseSchemaCheck,
            provider => ActivatorUtilities.CreateInstance<DatabaseSchemaHealthCheck>(provider),
            HealthStatus.Unhealthy, [ReadyTag], TimeSpan.FromSeconds(5)));

    private static void AddGatewayCheck(IHealthChecksBuilder health, IConfiguration configuration, string gateway, string defaultBaseUrl)
    {
        var key = $"Gateways:{gateway}:BaseUrl";
        health.Add(new HealthCheckRegistration(GatewayCheck(gateway),
            provider => new GatewayReachabilityCheck(gateway,
                () => new Uri(configuration[key] is { Length: > 0 } url ? url : defaultBaseUrl),
                provider.GetService<TimeProvider>() ?? TimeProvider.System,
                provider.GetService<IGatewayCircuitMonitor>()),
            HealthStatus.Degraded, [ReadyTag], TimeSpan.FromSeconds(5)));
    }
}

internal sealed class PaymentsHealthChecksRegistered;
