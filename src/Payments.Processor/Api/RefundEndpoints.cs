using System.Text.Json;
using MassTransit;
using Payments.Contracts;
using Payments.Gateways;
using Payments.Processor.OpenApi;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>
/// POST /payments/{id}/refund and /payments/{id}/void, body <c>{ "reason", "idempotencyKey" }</c>: the same
/// <see cref="RefundPayment"/> and <see cref="VoidPayment"/> a bus client sends. What can be refused now is refused now,
/// by the saga's own rules (409 with a code and the reason); otherwise 202, and the payment moves to Refunding, then
/// Refunded or Voided once the gateway's status confirms it. The same idempotency key again answers 202 and repeats nothing.
/// </summary>
public static class RefundEndpoints
{
    public sealed record RefundRequest(string? Reason, string? IdempotencyKey);

    /// <summary>The 202 body: the payment, what was asked, its status now, and where to follow it (also in Location).</summary>
    public sealed record RefundAccepted(Guid PaymentId, string Kind, string Status, string Href);

    public static RouteGroupBuilder MapRefunds(this RouteGroupBuilder payments)
    {
        Describe(payments.MapPost("/{id}/refund", (string id, HttpRequest request, PaymentQueries queries, PaymentGatewayRouter gateways,
                    IPublishEndpoint bus, TimeProvider clock) => Handle(RefundKinds.Refund, id, request, queries, gateways, bus, clock))
                .WithName("RefundPayment")
                .WithSummary("Refunds a succeeded payment in full (one still processing at the gateway is voided instead)"));
        Describe(payments.MapPost("/{id}/void", (string id, HttpRequest request, PaymentQueries queries, PaymentGatewayRouter gateways,
                    IPublishEndpoint bus, TimeProvider clock) => Handle(RefundKinds.Void, id, request, queries, gateways, bus, clock))
                .WithName("VoidPayment")
                .WithSummary("Voids a payment the gateway has taken but not yet settled"));
        return payments;
    }

    private static void Describe(RouteHandlerBuilder endpoint) => endpoint
        .DescribesJsonBody<RouteHandlerBuilder, RefundRequest>()
        .Produces<RefundAccepted>(StatusCodes.Status202Accepted)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<IResult> Handle(string kind, string id, HttpRequest request, PaymentQueries queries,
        PaymentGatewayRouter gateways, IPublishEndpoint bus, TimeProvider clock)
    {
        if (!Guid.TryParse(id, out var paymentId))
            return PaymentsEndpoints.Problem(StatusCodes.Status400BadRequest, "Invalid payment id", $"'{id}' is not a GUID.");
        if (request.ContentLength == 0 || !request.HasJsonContentType())
            return PaymentsEndpoints.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send {{ \"reason\", \"idempotencyKey\" }} as application/json.");

        RefundRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<RefundRequest>(request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            return PaymentsEndpoints.Problem(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not a valid {kind} request: {ex.Message}");
        }
        var errors = Validate(body);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: $"Invalid {kind} request",
                detail: "Give reason (why, kept in the audit trail) and idempotencyKey (the same key again repeats nothing).");

        var payment = await queries.Find(paymentId);
        if (payment is null)
            return PaymentsEndpoints.Problem(StatusCodes.Status404NotFound, "Unknown payment", $"No payment {paymentId} is known.");

        var reason = body!.Reason!.Trim();
        var key = body.IdempotencyKey!.Trim();
        var href = $"/payments/{paymentId}";
        var check = payment.CheckRefund(kind, reason, key, gateways);
        switch (check.Decision)
        {
            case RefundDecision.Refuse:
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The payment cannot be {Past(kind)}",
                    detail: $"Payment {paymentId} is {payment.CurrentState}: {check.Reason}.",
                    extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = check.Code, ["status"] = payment.CurrentState });
            case RefundDecision.Duplicate:
                return Results.Accepted(href, new RefundAccepted(paymentId, payment.RefundKind ?? kind, payment.CurrentState, href));
        }

        var now = clock.GetUtcNow();
        if (kind == RefundKinds.Refund)
            await bus.Publish(new RefundPayment { PaymentId = paymentId, Reason = reason, IdempotencyKey = key, RequestedAt = now },
                request.HttpContext.RequestAborted);
        else
            await bus.Publish(new VoidPayment { PaymentId = paymentId, Reason = reason, IdempotencyKey = key, RequestedAt = now },
                request.HttpContext.RequestAborted);
        return Results.Accepted(href, new RefundAccepted(paymentId, kind, PaymentStatuses.Refunding, href));
    }

    private static string Past(string kind) => kind == RefundKinds.Refund ? "refunded" : "voided";

    private static Dictionary<string, string[]> Validate(RefundRequest? body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body is null)
        {
            errors["body"] = ["a JSON object is required"];
            return errors;
        }
        if (PaymentRefundChanges.Invalid("reason", body.Reason, PaymentRefundChanges.MaxReasonLength) is { } reason)
            errors["reason"] = [reason];
        if (PaymentRefundChanges.Invalid("idempotencyKey", body.IdempotencyKey, PaymentRefundChanges.MaxIdempotencyKeyLength) is { } key)
            errors["idempotencyKey"] = [key];
        return errors;
    }
}
