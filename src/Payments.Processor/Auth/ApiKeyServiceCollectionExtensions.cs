namespace Payments.Processor.Auth;

/// <summary>The policies the endpoint groups require, and the services behind them.</summary>
public static partial class ApiKeyServiceCollectionExtensions
{
    public const string MerchantPolicy = "merchant-api-key";
    public const string OpsPolicy = "ops-api-key";

    public static IServiceCollection AddPaymentsApiKeys(this IServiceCollection services, ApiKeys keys)
    {
        services.AddSingleton(keys);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorizationBuilder()
            .AddPolicy(MerchantPolicy, policy => policy.RequireRole(ApiKeyRoles.Merchant))
            .AddPolicy(OpsPolicy, policy => policy.RequireRole(ApiKeyRoles.Ops));
        return services;
    }

    /// <summary>On embedded defaults with no keys configured: the made-up keys, the only secrets ever logged.</summary>
    public static void LogGeneratedKeys(this ILogger logger, ApiKeys keys)
    {
        if (keys.Generated)
            GeneratedKeys(logger, keys.MerchantKeys[0], keys.OpsKeys[0], ApiKeys.MerchantKeysSetting, ApiKeys.OpsKeysSetting);
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "No API keys configured; for this run only: merchant key {MerchantKey} (payments endpoints), ops key {OpsKey} (/ops). " +
        "Send Authorization: Bearer <key>. Set {MerchantSetting} and {OpsSetting} to choose your own.")]
    private static partial void GeneratedKeys(ILogger logger, string merchantKey, string opsKey, string merchantSetting, string opsSetting);
}
