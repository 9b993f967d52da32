using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Payments.Processor.Tests.Support;
using Xunit;

namespace Payments.Processor.Tests.Api;

/// <summary>
/// /openapi/v1.json describes every endpoint the processor maps, found by asking the app's routing (not a list kept
/// here): an endpoint added without its description fails <see cref="Every_mapped_route_is_in_the_document"/>.
/// </summary>
public sealed class OpenApiDocumentTests(EmbeddedProcessor processor) : IClassFixture<EmbeddedProcessor>
{
    private static readonly string[] ReferencePrefixes = ["/openapi/", "/scalar"];

    [Fact]
    public async Task Every_mapped_route_is_in_the_document()
    {
        var document = await Document();
        var documented = DocumentedOperations(document);
        var mapped = MappedRoutes().ToList();
        Assert.NotEmpty(mapped);

        foreach (var (method, path) in mapped)
            Assert.True(method is null ? documented.Any(o => o.Path == path) : documented.Contains((method, path)),
                $"{method ?? "ANY"} {path} is mapped but not in {OpenApiPath}; describe it (.WithName, .WithSummary, .Produces...)");
        foreach (var operation in documented)
            Assert.Contains(mapped, route => route.Path == operation.Path && (route.Method is null || route.Method == operation.Method));
    }

    [Fact]
    public async Task Only_the_API_reference_itself_is_left_out_of_the_document()
    {
        var excluded = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true })
            .Select(e => e.RoutePattern.RawText!)
            .ToList();

        Assert.NotEmpty(excluded);
        Assert.All(excluded, route => Assert.Contains(ReferencePrefixes, prefix => route.StartsWith(prefix, StringComparison.Ordinal)));
        var document = await Document();
        Assert.Equal(JsonValueKind.Object, document.GetProperty("paths").ValueKind);
    }

    [Fact]
    public async Task Every_operation_has_a_name_a_summary_a_tag_and_described_responses()
    {
        var document = await Document();

        foreach (var (method, path, operation) in Operations(document))
        {
            var where = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{where}: no .WithName");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{where}: no .WithSummary");
            Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
            Assert.NotEmpty(operation.GetProperty("responses").EnumerateObject());
        }
    }

    [Fact]
    public async Task The_API_errors_are_problem_details()
    {
        var document = await Document();

        var apiOperations = Operations(document)
            .Where(o => o.Path.StartsWith("/payments", StringComparison.Ordinal) || o.Path.StartsWith("/ops", StringComparison.Ordinal)
                        || o.Path.StartsWith("/webhooks", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(apiOperations);
        foreach (var (method, path, operation) in apiOperations)
        {
            var errors = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToList();
            Assert.True(errors.Count > 0, $"{method} {path} documents no error response (.ProducesProblem)");
            Assert.All(errors, error => Assert.True(error.Value.GetProperty("content").TryGetProperty("application/problem+json", out _),
                $"{method} {path} answers {error.Name} with something other than problem details"));
        }
    }

    [Fact]
    public async Task Requests_and_responses_carry_their_schemas()
    {
        var document = await Document();
        var paths = document.GetProperty("paths");

        var charge = paths.GetProperty("/payments").GetProperty("post");
        Assert.Equal("#/components/schemas/ChargeRequested",
            charge.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/ChargeAccepted", ResponseSchema(charge, "202"));
        Assert.Equal("#/components/schemas/PaymentView", ResponseSchema(paths.GetProperty("/payments/{id}").GetProperty("get"), "200"));
        Assert.Equal("#/components/schemas/PaymentList", ResponseSchema(paths.GetProperty("/ops/payments").GetProperty("get"), "200"));
        Assert.Equal("#/components/schemas/HealthReportView", ResponseSchema(paths.GetProperty("/health/ready").GetProperty("get"), "503"));
        var filters = paths.GetProperty("/ops/payments").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["merchantReference", "status", "from", "to", "stuckForMinutes", "needsReconciliation", "limit"], filters);
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));
    }

    [Fact]
    public async Task The_API_key_is_described_as_a_Bearer_scheme()
    {
        var document = await Document();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");

        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_root_sends_a_person_to_the_API_reference_page()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = processor.Address };

        var root = await http.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/scalar/", root.Headers.Location?.OriginalString);
        var reference = await http.GetAsync(root.Headers.Location, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi", await reference.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private const string OpenApiPath = "/openapi/v1.json";

    private async Task<JsonElement> Document()
    {
        var response = await processor.Http.GetAsync(OpenApiPath, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    private IEnumerable<RouteEndpoint> Endpoints() =>
        processor.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    /// <summary>Every route the app maps but the API reference's own, as (method, path); a null method answers any.</summary>
    private IEnumerable<(string? Method, string Path)> MappedRoutes()
    {
        foreach (var endpoint in Endpoints())
        {
            var path = DocumentPath(endpoint.RoutePattern);
            if (ReferencePrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)))
                continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is null or { Count: 0 })
                yield return (null, path);
            else
                foreach (var method in methods)
                    yield return (method.ToUpperInvariant(), path);
        }
    }

    /// <summary>The route as OpenAPI writes it: parameters by name only, without constraints or defaults.</summary>
    private static string DocumentPath(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        })));
        var path = "/" + string.Join('/', segments);
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private static HashSet<(string Method, string Path)> DocumentedOperations(JsonElement document) =>
        Operations(document).Select(o => (o.Method, o.Path)).ToHashSet();

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(operation => operation.Value.ValueKind == JsonValueKind.Object && operation.Name != "parameters")
            .Select(operation => (operation.Name.ToUpperInvariant(), path.Name, operation.Value)));

    private static string? ResponseSchema(JsonElement operation, string status) =>
        operation.GetProperty("responses").GetProperty(status).GetProperty("content").EnumerateObject().First()
            .Value.GetProperty("schema").GetProperty("$ref").GetString();
}
