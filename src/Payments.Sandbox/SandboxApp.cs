using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Payments.Sandbox.Checkout;

namespace Payments.Sandbox;

/// <summary>
/// Builds the sandbox as its own web application, so it can run standalone or beside the processor
/// on a separate port, exactly as the real gateways sit beside it.
/// </summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args, Action<SandboxOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = new SandboxOptions();
        builder.Configuration.GetSection(SandboxOptions.Section).Bind(options);
        configure?.Invoke(options);
        builder.WebHost.UseUrls(options.Url);

        builder.Services.AddSandboxServices(options);
        var app = builder.Build();
        app.MapSandboxEndpoints();
        return app;
    }

    public static IServiceCollection AddSandboxServices(this IServiceCollection services, SandboxOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.AddSingapaySandbox();
        services.AddFinpaySandbox();
        services.AddCheckout();
        return services;
    }

    public static WebApplication MapSandboxEndpoints(this WebApplication app)
    {
        app.MapGet("/", () => Results.Text("Payments sandbox: simulated Singapay and Finpay card APIs. See docs/sandbox.md.\n"));
        app.MapSingapaySandbox();
        app.MapFinpaySandbox();
        app.MapSandboxLedgerSummary();
        app.MapCheckout();
        return app;
    }

    /// <summary>The address Kestrel actually bound (useful with port 0).</summary>
    public static Uri BoundAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
