using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

namespace Payments.Processor.OpenApi;

/// <summary>
/// The API's description: the OpenAPI document at <see cref="DocumentPath"/>, and a readable reference of it at
/// <see cref="ReferencePath"/>, where GET / sends a person.
/// </summary>
public static class PaymentsOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    public static IServiceCollection AddPaymentsOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Payments processor";
                document.Info.Description = "Card payments: request a charge, follow it to its outcome, receive gateway callbacks. " +
                                            "Errors are problem details (RFC 9457).";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<BearerSecuritySchemeTransformer>();
            options.AddOperationTransformer<BearerSecuritySchemeTransformer>();
        });
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, RequestDelegateEndpointDescriptionProvider>());
        return services;
    }

    public static IEndpointRouteBuilder MapPaymentsApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Payments processor API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        app.MapGet("/", () => Results.Redirect($"{ReferencePath}/"))
            .WithName("Index")
            .WithSummary("Sends a person to the API reference")
            .WithTags("Reference")
            .Produces(StatusCodes.Status302Found)
            .AllowAnonymous();
        return app;
    }
}
