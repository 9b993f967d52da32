using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Payments.Processor.Health;

/// <summary>
/// GET /health/live: the process answers (no dependency is asked). GET /health/ready: every check tagged "ready",
/// as JSON with one entry per check. 200 when Healthy or Degraded (a gateway down: payments wait, they don't fail),
/// 503 when Unhealthy (the bus or the database).
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = WriteJson,
        }).WithHealthDescription("Liveness", "Whether the process answers (asks no dependency)");
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthChecksServiceCollectionExtensions.ReadyTag),
            ResponseWriter = WriteJson,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).WithHealthDescription("Readiness", "Whether the bus and the database work, and the gateways answer (a gateway down is Degraded: 200)")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(HealthReportView), ["application/json"]));
        return app;
    }

    private static IEndpointConventionBuilder WithHealthDescription(this IEndpointConventionBuilder endpoint, string name, string summary) =>
        endpoint.WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .WithName(name)
            .WithSummary(summary)
            .WithTags("Health")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(HealthReportView), ["application/json"]));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Status, description and data of each entry; of an exception only its type (its message may quote a connection).</summary>
    public static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new HealthReportView(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            report.Entries.ToDictionary(entry => entry.Key, entry => new HealthEntryView(
                entry.Value.Status.ToString(),
                entry.Value.Description,
                Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                entry.Value.Exception?.GetType().Name,
                entry.Value.Tags,
                entry.Value.Data.ToDictionary(d => d.Key, d => d.Value?.ToString()))));
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }
}

/// <summary>What the health endpoints answer: the overall status and one entry per check.</summary>
public sealed record HealthReportView(string Status, double DurationMs, IReadOnlyDictionary<string, HealthEntryView> Entries);

public sealed record HealthEntryView(string Status, string? Description, double DurationMs, string? Error,
    IEnumerable<string> Tags, IReadOnlyDictionary<string, string?> Data);
