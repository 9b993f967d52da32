using System.Text.Json;
using MassTransit;
using Payments.Contracts;
using Payments.Processor.Auth;
using Payments.Processor.Observability;
using Payments.Processor.OpenApi;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>
/// The HTTP face of the processor, for trying it out and for services that don't speak the bus.
/// POST sends the same <see cref="ChargeRequested"/> a bus client would, once it passed the same validation.
/// Every endpoint takes a merchant key (<c>Authorization: Bearer</c>, <see cref="ApiKeys"/>) except the 3-D Secure
/// page, which the customer's browser opens: it is protected by the unguessable payment id alone.
/// </summary>
public static partial class PaymentsEndpoints
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/payments").WithTags("Payments")
            .RequireAuthorization(ApiKeyServiceCollectionExtensions.MerchantPolicy);
        payments.MapPost("/", RequestCharge)
            .WithName("RequestCharge")
            .WithSummary("Requests a charge: the same ChargeRequested a bus client sends")
            .DescribesJsonBody<RouteHandlerBuilder, ChargeRequested>()
            .Produces<ChargeAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        payments.MapGet("/{id}", GetPayment)
            .WithName("GetPayment")
            .WithSummary("The payment as it stands, and its audit trail")
            .Produces<PaymentView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        payments.MapGet("/{id}/redirect", GetRedirectPage)
            .AllowAnonymous() // the customer's browser opens it; the unguessable PaymentId is its only key
            .WithName("GetRedirectPage")
            .WithSummary("The 3-D Secure page to open in the customer's browser")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        payments.MapRefunds();
        payments.MapThreeDsReturn();
        return app;
    }

    private static async Task<IResult> RequestCharge(HttpRequest request, IPublishEndpoint bus, TimeProvider clock, ILoggerFactory loggers)
    {
        if (request.ContentLength == 0)
            return Problem(StatusCodes.Status400BadRequest, "Missing body", "POST /payments needs a ChargeRequested as JSON.");
        if (!request.HasJsonContentType())
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the ChargeRequested as application/json.");

        ChargeRequested? charge;
        try
        {
            charge = await request.ReadFromJsonAsync<ChargeRequested>(request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            // The exception message quotes a path and position, never the value: safe to return and log.
            return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not a valid ChargeRequested: {ex.Message}");
        }
        if (charge is null)
            return Problem(StatusCodes.Status400BadRequest, "Missing body", "POST /payments needs a ChargeRequested as JSON.");

        if (charge.PaymentId == Guid.Empty)
            charge = charge with { PaymentId = NewId.NextGuid() };

        // What can be told now is told now, every field at once; the saga checks the same rules for bus senders.
        if (ChargeRequestValidator.Validate(charge, clock.GetUtcNow()) is { Count: > 0 } failures)
            return Results.ValidationProblem(
                ChargeRequestValidator.ByField(failures),
                title: "Invalid charge", detail: "See errors: each names a field of the ChargeRequested and what it accepts.");

        await bus.Publish(charge, request.HttpContext.RequestAborted);
        PaymentsTelemetry.TagCurrent(charge.PaymentId);
        var logger = loggers.CreateLogger("Payments.Api");
        PaymentRequested(logger, charge.PaymentId, charge.MerchantReference);

        var location = $"/payments/{charge.PaymentId}";
        return Results.Accepted(location, new ChargeAccepted(charge.PaymentId, PaymentStatuses.Pending, location));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} requested ({MerchantReference})")]
    private static partial void PaymentRequested(ILogger logger, Guid paymentId, string merchantReference);

    private static async Task<IResult> GetPayment(string id, PaymentQueries queries, HttpRequest request)
    {
        if (!Guid.TryParse(id, out var paymentId))
            return Problem(StatusCodes.Status400BadRequest, "Invalid payment id", $"'{id}' is not a GUID.");
        var payment = await queries.Find(paymentId);
        return payment is null
            ? Problem(StatusCodes.Status404NotFound, "Unknown payment", $"No payment {paymentId} is known (yet: a just-accepted one appears within moments).")
            : Results.Ok(PaymentView.From(payment, $"{request.Scheme}://{request.Host}/payments/{paymentId}/redirect"));
    }

    private static async Task<IResult> GetRedirectPage(string id, PaymentQueries queries)
    {
        if (!Guid.TryParse(id, out var paymentId))
            return Problem(StatusCodes.Status400BadRequest, "Invalid payment id", $"'{id}' is not a GUID.");
        var payment = await queries.Find(paymentId);
        if (payment is null)
            return Problem(StatusCodes.Status404NotFound, "Unknown payment", $"No payment {paymentId} is known.");
        if (payment.RedirectHtml is null)
            return Problem(StatusCodes.Status404NotFound, "No 3-D Secure page", $"Payment {paymentId} did not ask for 3-D Secure.");
        return Results.Content(payment.RedirectHtml, "text/html");
    }

    internal static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}

