using Microsoft.EntityFrameworkCore;
using Payments.Processor.Hosting;

namespace Payments.Processor.Persistence;

/// <summary>
/// Brings the database schema up to date: PostgreSQL through EF migrations, SQL Server from the model (the same DDL
/// that is committed under infra/sqlserver). Runs at start when Database:MigrateOnStart is true (the default),
/// before the bus starts consuming, or alone as `Payments.Processor migrate`.
/// </summary>
public sealed class DatabaseSchema(IServiceScopeFactory scopes, ProcessorSettings settings, ILogger<DatabaseSchema> logger) : IHostedService
{
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        if (settings.Database == DatabaseProvider.PostgreSql)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database schema up to date ({Count} migrations applied: {Migrations})", pending.Count, string.Join(", ", pending));
        }
        else
        {
            var created = await db.Database.EnsureCreatedAsync(cancellationToken);
            logger.LogInformation(created ? "Database schema created" : "Database schema already present");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => ApplyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
