using Payments.Contracts;
using Payments.Gateways;
using Payments.Gateways.Finpay;
using Payments.Gateways.Singapay;
using Payments.Processor.Api;
using Payments.Processor.Auth;
using Payments.Processor.Health;
using Payments.Processor.Hosting;
using Payments.Processor.Observability;
using Payments.Processor.OpenApi;
using Payments.Processor.Payments;
using Payments.Processor.Webhooks;

namespace Payments.Processor;

/// <summary>The processor's table of contents.</summary>
public static partial class PaymentsApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = ProcessorSettings.Read(builder.Configuration);
        var apiKeys = ApiKeys.Read(builder.Configuration, settings.IsDurable);
        builder.AddEmbeddedSandboxWhenConfigured(settings);

        builder.Logging.AddPaymentsLogging();
        builder.Services.AddPaymentsTelemetry(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.AddPaymentsApiKeys(apiKeys);
        builder.Services.NameTheSettingWhenAnAddressIsTaken();
        builder.Services.AddPaymentSaga(builder.Configuration);
        builder.Services.AddPaymentGateways(builder.Configuration);
        builder.Services.AddGatewayCallMetrics(PaymentGateways.Singapay, PaymentGateways.Finpay);
        var stores = PaymentStores.For(settings);
        builder.Services.AddPaymentsMessaging(settings, stores);
        stores.AddHealthChecks(builder.Services.AddPaymentsHealthChecks(builder.Configuration));
        builder.Services.AddPaymentsOpenApi();

        var app = builder.Build();
        // Made now, not at the first charge: a missing or bad card-encryption key stops start-up naming the setting.
        app.Services.GetRequiredService<CardCipher>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPaymentsApiReference();
        app.MapPaymentsApi();
        app.MapGatewayWebhooks();
        app.MapGroup(string.Empty).RequireAuthorization(ApiKeyServiceCollectionExtensions.OpsPolicy).MapOpsApi();
        app.MapHealthEndpoints();

        if (!settings.IsDurable)
            LogEmbeddedDefaults(app.Logger);
        app.Logger.LogGeneratedKeys(apiKeys);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running on embedded defaults: in-memory bus and saga store, gateway sandbox in-process. " +
                                                       "This mode is NOT durable: a restart forgets every payment. Configure RabbitMq and Database for production.")]
    private static partial void LogEmbeddedDefaults(ILogger logger);
}

internal static class ProcessorServiceCollectionExtensions
{
    public static IServiceCollection AddPaymentSaga(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentOptions>().BindReplacingDefaultLists(configuration.GetSection(PaymentOptions.Section))
            .PostConfigure(o => o.PublicUrl = PublicUrlDefault.Resolve(o.PublicUrl, configuration["Urls"]));
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
}
