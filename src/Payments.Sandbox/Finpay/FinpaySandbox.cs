namespace Payments.Sandbox;

// Placeholder wiring, replaced by the Finpay simulator.
public static class FinpaySandbox
{
    public static IServiceCollection AddFinpaySandbox(this IServiceCollection services) => services;
    public static WebApplication MapFinpaySandbox(this WebApplication app) => app;
}
