namespace Payments.Sandbox;

// Placeholder wiring, replaced by the Singapay simulator.
public static class SingapaySandbox
{
    public static IServiceCollection AddSingapaySandbox(this IServiceCollection services) => services;
    public static WebApplication MapSingapaySandbox(this WebApplication app) => app;
}
