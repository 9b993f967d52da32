using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Payments.Processor.OpenApi;

/// <summary>
/// Describes a request body that the handler reads itself. <c>.Accepts&lt;T&gt;()</c> would describe it too, but it also
/// makes routing refuse other content types before the handler can answer them with its own problem details.
/// </summary>
public static class RequestBodyDescriptions
{
    /// <summary>The body is <typeparamref name="TBody"/> as JSON, its schema a component of the document.</summary>
    public static TBuilder DescribesJsonBody<TBuilder, TBody>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var name = typeof(TBody).Name;
            var document = context.Document ?? throw new InvalidOperationException("The operation has no document");
            if (document.Components?.Schemas?.ContainsKey(name) != true)
                document.AddComponent(name, await context.GetOrCreateSchemaAsync(typeof(TBody), null, cancellationToken));
            operation.RequestBody = JsonBody(new OpenApiSchemaReference(name, document));
        });

    /// <summary>The body is a JSON object of the sender's own format (a gateway's callback).</summary>
    public static TBuilder DescribesJsonBody<TBuilder>(this TBuilder builder, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = JsonBody(new OpenApiSchema { Type = JsonSchemaType.Object, Description = description });
            return Task.CompletedTask;
        });

    private static OpenApiRequestBody JsonBody(IOpenApiSchema schema) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };
}
