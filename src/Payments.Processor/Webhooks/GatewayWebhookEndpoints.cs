using System.Globalization;
using MassTransit;
using Payments.Gateways;
using Payments.Processor.Api;
using Payments.Processor.Observability;
using Payments.Processor.OpenApi;
using Payments.Processor.Payments;

namespace Payments.Processor.Webhooks;

/// <summary>
/// POST /webhooks/{gateway}. A verified callback is evidence and moves the payment; an unsigned one is only a hint
/// to inquire now; a forged one is refused. The answer comes as soon as the message is on the bus, and a callback
/// that can't be handed on gets a 503 with Retry-After so the gateway retries it (a database that can't be reached
/// while the callback is matched gets the same, from <see cref="DatabaseUnavailableExceptionHandler"/>).
/// </summary>
public static partial class GatewayWebhookEndpoints
{
    public static IEndpointRouteBuilder MapGatewayWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{gateway}", ReceiveCallback)
            .WithTags("Webhooks")
            .WithName("ReceiveGatewayCallback")
            .WithSummary("A gateway's callback (singapay or finpay), in the gateway's own signed format")
            .DescribesJsonBody("The gateway's callback as it sends it; its signature headers are checked against the raw body.")
            .Produces<CallbackReceived>()
            .Produces<CallbackQueuedForInquiry>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> ReceiveCallback(string gateway, HttpRequest request,
        IEnumerable<IGatewayCallbackVerifier> verifiers, IChargeAttemptLedger ledger, IPublishEndpoint bus,
        TimeProvider clock, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Payments.Webhooks");
        var verifier = verifiers.FirstOrDefault(v => v.Gateway.Equals(gateway, StringComparison.OrdinalIgnoreCase));
        if (verifier is null)
            return PaymentsEndpoints.Problem(StatusCodes.Status404NotFound, "Unknown gateway", $"No callbacks are taken for '{gateway}'.");

        var callback = await ReadCallback(request);
        var verification = verifier.Verify(callback);
        if (verification.Trust == CallbackTrust.Forged)
        {
            LogRefused(logger, verifier.Gateway, verification.Reason);
            return PaymentsEndpoints.Problem(StatusCodes.Status401Unauthorized, "Callback not verified", verification.Reason ?? "invalid signature");
        }

        var reference = verification.MerchantReference;
        var attempt = reference is null ? null : await ledger.FindByReferenceAsync(verifier.Gateway, reference, request.HttpContext.RequestAborted);
        if (attempt is null)
        {
            LogUnknownReference(logger, verifier.Gateway, reference);
            return PaymentsEndpoints.Problem(StatusCodes.Status404NotFound, "Unknown payment",
                $"No charge with reference '{reference}' was sent to {verifier.Gateway}.");
        }

        // The gateway calls with no trace context: this span starts a trace of its own, linked to the payment's.
        using var span = PaymentsTelemetry.StartCallback(verifier.Gateway, attempt.PaymentId, attempt.TraceParent);
        span?.SetTag(PaymentsTelemetry.CallbackTrustTag, verification.Trust.ToString());
        try
        {
            if (verification is { Trust: CallbackTrust.Verified, Report: { } report })
            {
                await bus.Publish(GatewayStatusReported.From(report, attempt.PaymentId, verifier.Gateway, TransitionCauses.Callback,
                    finalCheck: false, clock.GetUtcNow()), request.HttpContext.RequestAborted);
                LogVerified(logger, attempt.PaymentId, verifier.Gateway, report.Status);
                return Results.Ok(new CallbackReceived(Received: true, attempt.PaymentId));
            }

            await bus.Publish(new InquirePaymentStatus(attempt.PaymentId, verifier.Gateway,
                new GatewayPaymentReference(attempt.MerchantReference, null, attempt.AccountId), FinalCheck: false), request.HttpContext.RequestAborted);
            LogUnsigned(logger, attempt.PaymentId, verifier.Gateway);
            return Results.Accepted(value: new CallbackQueuedForInquiry(Received: true, Verified: false, Action: "inquiring"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotHandedOn(logger, ex, attempt.PaymentId, verifier.Gateway);
            request.HttpContext.Response.Headers.RetryAfter = DatabaseUnavailableExceptionHandler.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return PaymentsEndpoints.Problem(StatusCodes.Status503ServiceUnavailable, "Try again", "The callback could not be queued; retry it.");
        }
    }

    private static async Task<GatewayCallbackRequest> ReadCallback(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new GatewayCallbackRequest(request.Method, $"{request.PathBase}{request.Path}{request.QueryString}", headers, body.ToArray());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Gateway} callback refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string gateway, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Gateway} callback for unknown reference {MerchantReference}")]
    private static partial void LogUnknownReference(ILogger logger, string gateway, string? merchantReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: verified {Gateway} callback says {Status}")]
    private static partial void LogVerified(ILogger logger, Guid paymentId, string gateway, GatewayPaymentStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId}: unsigned {Gateway} callback, inquiring")]
    private static partial void LogUnsigned(ILogger logger, Guid paymentId, string gateway);

    [LoggerMessage(Level = LogLevel.Error, Message = "Payment {PaymentId}: {Gateway} callback could not be handed on")]
    private static partial void LogNotHandedOn(ILogger logger, Exception exception, Guid paymentId, string gateway);
}

/// <summary>A verified callback, handed to the payment.</summary>
public sealed record CallbackReceived(bool Received, Guid PaymentId);

/// <summary>An unsigned callback: taken only as a hint, the payment's status is being inquired.</summary>
public sealed record CallbackQueuedForInquiry(bool Received, bool Verified, string Action);
