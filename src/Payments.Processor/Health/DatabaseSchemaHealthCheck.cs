using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Processor.Persistence;

namespace Payments.Processor.Health;

/// <summary>Not ready until the schema migration at start has succeeded (it retries while the database is down).</summary>
public sealed class DatabaseSchemaHealthCheck(DatabaseSchema schema) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(schema.IsApplied
            ? HealthCheckResult.Healthy("applied")
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"waiting for the database: {schema.FailedAttempts} failed attempts" + (schema.LastError is { } error ? $", last {error}" : ""),
                data: new Dictionary<string, object> { ["failedAttempts"] = schema.FailedAttempts }));
}
