using Payments.Gateways;
using Payments.Gateways.Finpay;
using Payments.Gateways.Singapay;
using Payments.Contracts;
using Payments.Processor.Api;
using Payments.Processor.Health;
using Payments.Processor.Observability;
using Payments.Processor.Persistence;
using Payments.Processor.Hosting;
using Payments.Processor.Payments;
using Payments.Processor.Webhooks;
using Payments.Sandbox;

/// <summary>The processor's table of contents.</summary>
public static class PaymentsApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = ProcessorSettings.Read(builder.Configuration);
        if (settings.EmbeddedSandbox)
            builder.Configuration.PointGatewaysAtEmbeddedSandbox();

        builder.Logging.AddPaymentsLogging();
        builder.Services.AddPaymentsTelemetry(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddPaymentSaga(builder.Configuration);
        builder.Services.AddPaymentGateways(builder.Configuration);
        builder.Services.AddGatewayCallMetrics(PaymentGateways.Singapay, PaymentGateways.Finpay);
        builder.Services.AddPaymentsMessaging(settings);
        builder.Services.AddPaymentsHealthChecks<PaymentsDbContext>(builder.Configuration, settings);
        if (settings.EmbeddedSandbox)
            builder.Services.AddEmbeddedSandbox(builder.Configuration);

        var app = builder.Build();
        app.UsePaymentsRequestTelemetry();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/", () => Results.Text(
            "Payments processor. POST /payments (a ChargeRequested as JSON), GET /payments/{id}, GET /payments/{id}/redirect, " +
            "POST /webhooks/{singapay|finpay}, GET /ops/payments, GET /health/live, GET /health/ready. See README.md.\n"));
        app.MapPaymentsApi();
        app.MapGatewayWebhooks();
        app.MapOpsApi();
        app.MapHealthEndpoints();

        if (!settings.IsDurable)
            app.Logger.LogWarning("Running on embedded defaults: in-memory bus and saga store, gateway sandbox in-process. " +
                                  "This mode is NOT durable: a restart forgets every payment. Configure RabbitMq and Database for production.");
        return app;
    }
}

internal static class ProcessorServiceCollectionExtensions
{
    public static IServiceCollection AddPaymentSaga(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentOptions>().Bind(configuration.GetSection(PaymentOptions.Section));
        services.AddScoped<PaymentQueries>();
        return services;
    }

    public static IServiceCollection AddPaymentGateways(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingapayGateway(configuration);
        services.AddFinpayGateway(configuration);
        services.AddScoped<PaymentGatewayRouter>();
        return services;
    }

    /// <summary>Unless a gateway's BaseUrl is configured, it is the in-process sandbox's.</summary>
    public static void PointGatewaysAtEmbeddedSandbox(this ConfigurationManager configuration)
    {
        var sandbox = (configuration["Sandbox:Url"] is { Length: > 0 } url ? url : new SandboxOptions().Url).TrimEnd('/');
        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(configuration["Gateways:Singapay:BaseUrl"]))
            defaults["Gateways:Singapay:BaseUrl"] = $"{sandbox}/singapay";
        if (string.IsNullOrWhiteSpace(configuration["Gateways:Finpay:BaseUrl"]))
            defaults["Gateways:Finpay:BaseUrl"] = $"{sandbox}/finpay";
        configuration.AddInMemoryCollection(defaults);
    }

    public static IServiceCollection AddEmbeddedSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SandboxOptions();
        configuration.GetSection(SandboxOptions.Section).Bind(options);
        services.AddSingleton(options);
        services.AddHostedService<EmbeddedSandbox>();
        return services;
    }
}
