using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Payments.Contracts;
using Payments.Processor.OpenApi;
using Payments.Processor.Payments;

namespace Payments.Processor.Api;

/// <summary>
/// POST /ops/payments/{id}/resolve: settles a payment whose outcome the processor could not establish, either with the
/// gateway's transaction id (<c>{ "gatewayTransactionId", "actor", "reason" }</c>: the processor inquires by it) or with
/// an outcome confirmed with the gateway (<c>{ "outcome": "Succeeded"|"Failed", "actor", "reason" }</c>). Who and why go
/// into the payment's audit trail. Answers 202; the payment moves when the saga has handled it.
/// </summary>
public static class ResolvePaymentEndpoint
{
    public sealed record ResolveRequest(string? GatewayTransactionId, string? Outcome, string? Actor, string? Reason);

    /// <summary>The 202 body: the payment, and where to follow it.</summary>
    public sealed record ResolveAccepted(Guid PaymentId, string Href);

    public static RouteHandlerBuilder MapResolvePayment(this RouteGroupBuilder ops) =>
        ops.MapPost("/payments/{paymentId:guid}/resolve", Resolve)
            .WithName("ResolvePayment")
            .WithSummary("Settles a payment flagged for reconciliation: by the gateway's transaction id, or by a confirmed outcome")
            .DescribesJsonBody<RouteHandlerBuilder, ResolveRequest>()
            .Produces<ResolveAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> Resolve(Guid paymentId, [FromBody] ResolveRequest? body, [FromServices] PaymentQueries queries,
        [FromServices] IPublishEndpoint bus, [FromServices] TimeProvider clock, HttpContext http)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
            return Results.ValidationProblem(errors, title: "Invalid resolve request",
                detail: "Give actor and reason, and either gatewayTransactionId or outcome (Succeeded or Failed).");

        var payment = await queries.Find(paymentId);
        if (payment is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such payment");
        if (payment.IsFinal)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The payment is already final",
                detail: $"It is {payment.CurrentState}; nothing to resolve.");

        var outcome = body!.Outcome is { } text
            ? new[] { PaymentStatuses.Succeeded, PaymentStatuses.Failed }.First(s => s.Equals(text, StringComparison.OrdinalIgnoreCase))
            : null;
        await bus.Publish(new ResolvePayment
        {
            PaymentId = paymentId,
            GatewayTransactionId = outcome is null ? body.GatewayTransactionId!.Trim() : null,
            Outcome = outcome,
            Actor = body.Actor!.Trim(),
            Reason = body.Reason!.Trim(),
            RequestedAt = clock.GetUtcNow(),
        }, http.RequestAborted);
        return Results.Accepted($"/payments/{paymentId}", new ResolveAccepted(paymentId, $"/payments/{paymentId}"));
    }

    private static Dictionary<string, string[]> Validate(ResolveRequest? body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body is null)
        {
            errors["body"] = ["a JSON object is required"];
            return errors;
        }
        Text(errors, "actor", body.Actor, 100);
        Text(errors, "reason", body.Reason, 500);
        var hasId = !string.IsNullOrWhiteSpace(body.GatewayTransactionId);
        var hasOutcome = !string.IsNullOrWhiteSpace(body.Outcome);
        if (hasId == hasOutcome)
            errors["gatewayTransactionId"] = ["give exactly one of gatewayTransactionId and outcome"];
        else if (hasId)
            Text(errors, "gatewayTransactionId", body.GatewayTransactionId, 100);
        else if (!body.Outcome!.Equals(PaymentStatuses.Succeeded, StringComparison.OrdinalIgnoreCase)
                 && !body.Outcome.Equals(PaymentStatuses.Failed, StringComparison.OrdinalIgnoreCase))
            errors["outcome"] = ["must be Succeeded or Failed"];
        return errors;
    }

    private static void Text(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors[field] = ["is required"];
        else if (value.Length > max)
            errors[field] = [$"must be at most {max} characters"];
        else if (value.Any(char.IsControl))
            errors[field] = ["must not contain control characters"];
    }
}
