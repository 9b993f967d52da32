using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;

namespace Payments.Processor.OpenApi;

/// <summary>
/// ASP.NET Core describes only endpoints mapped to a handler method. This describes the others (the health checks'
/// middleware endpoints) from their metadata: the methods they declare, their name, summary, tags and
/// <c>.Produces(...)</c>, so that they appear in the OpenAPI document like any other endpoint.
/// </summary>
internal sealed class RequestDelegateEndpointDescriptionProvider(EndpointDataSource endpoints) : IApiDescriptionProvider
{
    /// <summary>After the built-in providers (order -1100).</summary>
    public int Order => -1000;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var metadata = endpoint.Metadata;
            if (metadata.GetMetadata<System.Reflection.MethodInfo>() is not null
                || metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
                || metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } methods
                || endpoint.RoutePattern.RawText is not { } pattern)
                continue;
            foreach (var method in methods.HttpMethods)
                context.Results.Add(Describe(endpoint, method, pattern));
        }
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
    }

    private static ApiDescription Describe(RouteEndpoint endpoint, string method, string pattern)
    {
        var description = new ApiDescription
        {
            HttpMethod = method,
            RelativePath = pattern.TrimStart('/'),
            ActionDescriptor = new ActionDescriptor
            {
                DisplayName = endpoint.DisplayName,
                EndpointMetadata = [.. endpoint.Metadata],
            },
        };
        foreach (var produces in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>())
        {
            var response = new ApiResponseType { StatusCode = produces.StatusCode, Type = produces.Type ?? typeof(void) };
            foreach (var contentType in produces.ContentTypes)
                response.ApiResponseFormats.Add(new ApiResponseFormat { MediaType = contentType });
            description.SupportedResponseTypes.Add(response);
        }
        return description;
    }
}
