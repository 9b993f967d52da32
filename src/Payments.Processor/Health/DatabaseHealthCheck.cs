using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Payments.Processor.Health;

/// <summary>Can the saga store be reached? Opens a connection through the registered <typeparamref name="TContext"/>.</summary>
public sealed class DatabaseHealthCheck<TContext>(IServiceScopeFactory scopes) : IHealthCheck where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        var data = new Dictionary<string, object> { ["provider"] = database.ProviderName ?? "unknown" };
        try
        {
            return await database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("connected", data)
                : new HealthCheckResult(context.Registration.FailureStatus, "cannot connect", data: data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: a provider's message can quote the server or user name.
            return new HealthCheckResult(context.Registration.FailureStatus, $"cannot connect ({exception.GetType().Name})", data: data);
        }
    }
}
