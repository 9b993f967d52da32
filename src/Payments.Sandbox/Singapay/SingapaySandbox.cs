using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Sandbox.Singapay;

namespace Payments.Sandbox;

/// <summary>
/// The simulated Singapay card API under "/singapay" (so a client's BaseUrl is http://host:port/singapay).
/// Test cards, fault headers and the ledger are described in docs/sandbox-test-cards.md.
/// </summary>
public static class SingapaySandbox
{
    public const string Prefix = "/singapay";

    public static IServiceCollection AddSingapaySandbox(this IServiceCollection services)
    {
        services.TryAddSingleton(provider =>
        {
            var simulation = new SingapaySimulationOptions();
            provider.GetService<IConfiguration>()?.GetSection(SingapaySimulationOptions.Section).Bind(simulation);
            return simulation;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SingapayLedger>();
        services.TryAddSingleton<SingapayTokenStore>();
        services.TryAddSingleton<SingapayCallbackSender>();
        services.TryAddSingleton<SingapaySimulator>();
        services.AddHttpClient(SingapayCallbackSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    public static WebApplication MapSingapaySandbox(this WebApplication app)
    {
        var singapay = app.MapGroup(Prefix);
        SingapayCardEndpoints.Map(singapay.MapGroup("/api").AddEndpointFilter<SingapayFaultFilter>());
        SingapayThreeDsEndpoints.Map(singapay);

        var sandbox = singapay.MapGroup("/_sandbox");
        sandbox.MapGet("/ledger", (SingapayLedger ledger) => Results.Content(
            JsonSerializer.Serialize(ledger.Entries, LedgerJson), "application/json"));
        sandbox.MapPost("/tokens/revoke", (SingapayTokenStore tokens) =>
        {
            tokens.RevokeAll();
            return Results.NoContent();
        });
        return app;
    }

    private static readonly JsonSerializerOptions LedgerJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
