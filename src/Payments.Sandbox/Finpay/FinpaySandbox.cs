using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Sandbox.Finpay;

namespace Payments.Sandbox;

/// <summary>
/// The simulated Finpay card API under "/finpay": one-click charges of stored cards, status checks, deleting a stored
/// card, signed callbacks; plus "/finpay/_sandbox" to store test tokens and read the ledger. See docs/sandbox-test-cards.md.
/// </summary>
public static class FinpaySandbox
{
    public const string ApiPrefix = "/finpay/pg/payment/card";
    public const string ControlPrefix = "/finpay/_sandbox";

    public static IServiceCollection AddFinpaySandbox(this IServiceCollection services)
    {
        services.TryAddSingleton(provider =>
        {
            var simulation = new FinpaySimulationOptions();
            provider.GetService<IConfiguration>()?.GetSection(FinpaySimulationOptions.Section).Bind(simulation);
            return simulation;
        });
        services.TryAddSingleton<FinpayTokenVault>();
        services.TryAddSingleton<FinpayLedger>();
        services.TryAddSingleton<FinpayCallbackSender>();
        services.TryAddSingleton<FinpaySimulator>();
        services.AddHttpClient(FinpayCallbackSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    public static WebApplication MapFinpaySandbox(this WebApplication app)
    {
        var api = app.MapGroup(ApiPrefix).AddEndpointFilter(ApplyFaultsAsync).AddEndpointFilter(RequireBasicAuth);
        api.MapPost("/payment", ChargeAsync);
        api.MapGet("/check/{orderId}", Check);
        api.MapGet("/customer/delete/{cardToken}", DeleteStoredCard);

        var control = app.MapGroup(ControlPrefix);
        control.MapPost("/tokens", StoreTokenAsync);
        control.MapGet("/ledger", (FinpayLedger ledger) => Results.Json(ledger.Entries));
        control.MapGet("/ledger/{orderId}", (string orderId, FinpayLedger ledger) =>
            ledger.Find(orderId) is { } entry ? Results.Json(entry) : Results.NotFound());
        return app;
    }

    private static async Task<IResult> ChargeAsync(
        HttpContext context, FinpaySimulator simulator, FinpaySimulationOptions simulation, TimeProvider timeProvider)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Answer(FinpayCode.InvalidFieldFormat("body", "must be a JSON object"));
        }

        FinpayChargeRequest? request;
        using (document)
        {
            if (FinpayPaymentValidator.Validate(document.RootElement, out request) is { } problem)
                return Answer(problem);
        }

        var callbackFaults = FinpayCallbackFaults.Parse(
            context.Request.Headers[FinpayCallbackFaults.Header], simulation.DefaultCallbackDelay);
        var answer = simulator.Charge(request!, callbackFaults);
        if (answer.HangFirst)
            await HoldAsync(context, simulation.HangDelay, timeProvider);

        return answer.Code == FinpayCode.Success
            ? Answer(answer.Code, FinpayWireFormat.ChargeData(answer.Entry!))
            : Answer(answer.Code, answer.Entry is { } entry && answer.Code.Code.StartsWith('4')
                ? new JsonObject { ["id"] = entry.PaymentId, ["reference"] = entry.PaymentId }
                : null);
    }

    private static IResult Check(string orderId, FinpayLedger ledger) =>
        ledger.Find(orderId) is { } entry
            ? Answer(FinpayCode.Success, FinpayWireFormat.StatusData(entry))
            : Answer(FinpayCode.TransactionNotFound);

    private static IResult DeleteStoredCard(string cardToken, FinpayTokenVault vault) =>
        vault.Delete(cardToken) ? Answer(FinpayCode.Success) : Answer(FinpayCode.InvalidCardToken);

    /// <summary>
    /// Stores a test card: <c>{"customerId":"cust-1","outcome":"Success","cardMasked":"411111******1111"}</c> (outcome and
    /// cardMasked optional) → 201 <c>{"token":"&lt;64 hex&gt;","customerId":…,"cardMasked":…,"outcome":…}</c>.
    /// </summary>
    private static async Task<IResult> StoreTokenAsync(HttpContext context, FinpayTokenVault vault)
    {
        if (!context.Request.HasJsonContentType())
            return Results.BadRequest(new { error = "send JSON: {\"customerId\":…, \"outcome\":…, \"cardMasked\":…}" });
        StoreTokenRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync<StoreTokenRequest>(context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "the body must be {\"customerId\":…, \"outcome\":…, \"cardMasked\":…}" });
        }
        if (string.IsNullOrWhiteSpace(request?.CustomerId))
            return Results.BadRequest(new { error = "customerId is required" });

        var outcome = FinpayTokenOutcome.Success;
        if (!string.IsNullOrWhiteSpace(request.Outcome)
            && !Enum.TryParse(request.Outcome.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out outcome))
            return Results.BadRequest(new { error = $"outcome must be one of {string.Join(", ", Enum.GetNames<FinpayTokenOutcome>())}" });

        var cardMasked = string.IsNullOrWhiteSpace(request.CardMasked) ? "411111******1111" : request.CardMasked.Trim();
        if (!cardMasked.Contains('*'))
            return Results.BadRequest(new { error = "cardMasked must be masked (411111******1111): the sandbox takes no card numbers" });

        var card = vault.Store(request.CustomerId, outcome, cardMasked);
        return Results.Json(
            new { token = card.Token, customerId = card.CustomerId, cardMasked = card.CardMasked, outcome = card.Outcome.ToString() },
            statusCode: StatusCodes.Status201Created);
    }

    private sealed record StoreTokenRequest(string? CustomerId, string? Outcome, string? CardMasked);

    /// <summary>X-Sandbox-Fault, applied in front of everything else (a failing proxy or network sits before Finpay).</summary>
    private static async ValueTask<object?> ApplyFaultsAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var faults = FinpayRequestFaults.Parse(context.Request.Headers[FinpayRequestFaults.Header]);
        var services = context.RequestServices;
        var timeProvider = services.GetRequiredService<TimeProvider>();

        if (faults.Latency is { } latency && latency > TimeSpan.Zero)
            await HoldAsync(context, latency, timeProvider);
        if (faults.Status is { } status)
            return Answer(FinpayCode.ForFaultStatus(status));

        var result = await next(invocation);
        if (faults.Timeout)
            await HoldAsync(context, services.GetRequiredService<FinpaySimulationOptions>().HangDelay, timeProvider);
        return result;
    }

    private static async ValueTask<object?> RequireBasicAuth(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var merchant = context.RequestServices.GetRequiredService<SandboxOptions>().Finpay;
        if (FinpayBasicAuth.IsAuthorized(context.Request, merchant))
            return await next(invocation);
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Finpay\"";
        return Answer(FinpayCode.Unauthorized);
    }

    /// <summary>Holds the answer back for <paramref name="delay"/>, or less if the client gives up or the sandbox stops.</summary>
    private static async Task HoldAsync(HttpContext context, TimeSpan delay, TimeProvider timeProvider)
    {
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, timeProvider, either.Token);
        }
        catch (OperationCanceledException)
        {
            // Nobody is waiting for the answer any more.
        }
    }

    private static IResult Answer(FinpayCode code, JsonObject? data = null) =>
        Results.Content(FinpayWireFormat.Answer(code, data), "application/json", Encoding.UTF8, (int)code.HttpStatus);
}
