using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Payments.Processor.Api;

/// <summary>GET /ops/payments reads its query string itself; this tells the OpenAPI document what it accepts.</summary>
internal static class PaymentListParameters
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Parameters ??= [];
        Add(operation, "merchantReference", JsonSchemaType.String, null, "The merchant's reference, exactly.");
        Add(operation, "status", JsonSchemaType.String, null,
            "One of Pending, Redirect, Processing, Succeeded, Failed (any case).");
        Add(operation, "from", JsonSchemaType.String, "date-time", "Created at or after this instant (ISO 8601; UTC unless an offset is given).");
        Add(operation, "to", JsonSchemaType.String, "date-time", "Created before this instant; after 'from'.");
        Add(operation, "stuckForMinutes", JsonSchemaType.Integer, "int32",
            "Not final, and unchanged for at least this many minutes (1 to 525600).");
        Add(operation, "needsReconciliation", JsonSchemaType.Boolean, null,
            "true: only payments whose outcome the processor could not establish (settle them with POST /ops/payments/{id}/resolve).");
        Add(operation, "limit", JsonSchemaType.Integer, "int32",
            $"At most this many payments (1 to {OpsEndpoints.MaxLimit}; default {OpsEndpoints.DefaultLimit}).");
        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, string name, JsonSchemaType type, string? format, string description) =>
        operation.Parameters!.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Query,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = type, Format = format },
        });
}
