using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Payments.Processor.Persistence;

/// <summary>
/// Brings the database schema up to date: PostgreSQL through EF migrations, SQL Server from the model (the same DDL
/// that is committed under infra/sqlserver). Runs at start when Database:MigrateOnStart is true (the default),
/// before the bus starts consuming, or alone as `Payments.Processor migrate`.
/// A database that can't be reached at start does not stop the processor: the schema is retried in the background
/// with backoff, and /health/ready answers 503 until it is in place (<see cref="IsApplied"/>).
/// </summary>
public sealed partial class DatabaseSchema(IServiceScopeFactory scopes, TimeProvider clock,
    ILogger<DatabaseSchema> logger) : IHostedService, IDisposable
{
    /// <summary>Waits between attempts while the database can't be reached; the last one repeats.</summary>
    public static readonly TimeSpan[] RetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    private readonly CancellationTokenSource _stopping = new();
    private Task _retries = Task.CompletedTask;
    private volatile bool _applied;

    public bool IsApplied => _applied;
    public int FailedAttempts { get; private set; }
    /// <summary>The type of the last failure (never its message: it can quote the server or user).</summary>
    public string? LastError { get; private set; }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        if (db.Database.IsNpgsql())
        {
            await CreateHistoryTableIfMissing(db, cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            if (pending.Count > 0)
                MigrationsApplied(logger, pending.Count, pending);
            else
                SchemaUpToDate(logger);
        }
        else
        {
            var created = await db.Database.EnsureCreatedAsync(cancellationToken);
            if (created) SchemaCreated(logger); else SchemaUpToDate(logger);
        }
        _applied = true;
    }

    /// <summary>
    /// EF reads the migrations history before it creates that table, and logs the failed read on a fresh database as an
    /// error (dotnet/efcore#37328). Creating the table first (IF NOT EXISTS, as EF itself does) keeps a normal first start
    /// free of errors. A database that does not exist yet is left to MigrateAsync, which creates it.
    /// </summary>
    private static async Task CreateHistoryTableIfMissing(PaymentsDbContext db, CancellationToken cancellationToken)
    {
        if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
    }

    /// <summary>One attempt before the bus starts (the usual case ends here); if it fails, retries in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryApplyAsync(cancellationToken))
            return;
        _retries = RetryUntilApplied(_stopping.Token);
    }

    private async Task RetryUntilApplied(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(RetryDelays[Math.Min(FailedAttempts - 1, RetryDelays.Length - 1)], clock, stopping);
                if (await TryApplyAsync(stopping))
                    return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // shutting down before the database came back
        }
    }

    private async Task<bool> TryApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FailedAttempts++;
            LastError = exception.GetType().Name;
            var delay = RetryDelays[Math.Min(FailedAttempts - 1, RetryDelays.Length - 1)];
            SchemaNotApplied(logger, FailedAttempts, LastError, delay);
            return false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retries.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    // The list is written comma-separated, as string.Join(", ", ...) did, and only when the level is enabled.
    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema up to date ({Count} migrations applied: {Migrations})")]
    private static partial void MigrationsApplied(ILogger logger, int count, List<string> migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema up to date")]
    private static partial void SchemaUpToDate(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema created")]
    private static partial void SchemaCreated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Database schema not applied yet (attempt {Attempt} failed: {ExceptionType}); retrying in {Delay}. /health/ready answers 503 until it is.")]
    private static partial void SchemaNotApplied(ILogger logger, int attempt, string exceptionType, TimeSpan delay);
}
