using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Payments.Processor.Observability;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>A container with the processor's telemetry, exporting to an in-memory list behind the card-data redactor.</summary>
public static class TracedServices
{
    public static ServiceProvider Create(List<Activity> exported, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection, IConfiguration>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddPaymentsTelemetry(configuration);
        services.Configure<PaymentsTelemetryOptions>(o => o.ConfigureTracing.Add(tracing => tracing.AddInMemoryExporter(exported)));
        configure?.Invoke(services, configuration);
        var provider = services.BuildServiceProvider(validateScopes: true);
        // No host starts the providers here: resolving the TracerProvider makes it listen.
        provider.GetRequiredService<TracerProvider>();
        return provider;
    }
}
