using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace Payments.Persistence.Tests.Infrastructure;

/// <summary>
/// A database of its own on the test PostgreSQL server (PAYMENTS_TEST_POSTGRES), created for one test class and
/// dropped afterwards, so test classes run in parallel without seeing each other's rows.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string ConnectionStringVariable = "PAYMENTS_TEST_POSTGRES";

    private string? _connectionString;
    private string? _serverConnectionString;

    public string Name { get; } = $"payments_test_{Guid.NewGuid():N}"[..40];

    public string ConnectionString => _connectionString
        ?? throw new InvalidOperationException("The test database has not been created.");

    public static string ServerConnectionString()
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{ConnectionStringVariable} is not set, and these tests need a real PostgreSQL server. Start the throwaway "
                + "cluster with `eval \"$(infra/test-services/postgres.sh start)\"` from the repository root (stop it with "
                + "`infra/test-services/postgres.sh stop`), or set " + ConnectionStringVariable
                + " to e.g. \"Host=127.0.0.1;Port=55432;Username=postgres;Database=payments\".");
        }

        return connectionString;
    }

    public async ValueTask InitializeAsync()
    {
        _serverConnectionString = ServerConnectionString();

        await using (var connection = new NpgsqlConnection(_serverConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = Name }.ConnectionString;

        await using var dbContext = TestDbContext.Create(_connectionString);
        await dbContext.Database.EnsureCreatedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_serverConnectionString == null || _connectionString == null)
            return;

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Empties every table, so each test in the class starts from nothing.</summary>
    public async Task ResetAsync()
    {
        await using var dbContext = TestDbContext.Create(ConnectionString);
        await dbContext.Database.ExecuteSqlRawAsync(
            "TRUNCATE \"InboxState\", \"OutboxMessage\", \"OutboxState\", \"TestSagaState\", \"LedgerEntry\"");
    }
}
