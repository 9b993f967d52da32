using Npgsql;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>
/// The run database's counters: commits from pg_stat_database, statements from pg_stat_statements when the server
/// loads it (else null), and rows written as a stand-in.
/// </summary>
public sealed record DatabaseCounters(long Commits, long? Statements, long RowsWritten)
{
    public static async Task<DatabaseCounters> ReadAsync(TestServices services)
    {
        await using var connection = new NpgsqlConnection(services.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var commits = reader.GetInt64(0);
        var rows = reader.GetInt64(1);
        await reader.DisposeAsync();
        return new DatabaseCounters(commits, await StatementsAsync(connection), rows);
    }

    /// <summary>
    /// Reads until two readings a second apart agree: backends report their counters when idle, at most once a
    /// second, so the last of a run shows up a little after it.
    /// </summary>
    public static async Task<DatabaseCounters> ReadSettledAsync(TestServices services, TimeSpan limit)
    {
        var previous = await ReadAsync(services);
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var current = await ReadAsync(services);
            // Our own reading commits once; more than a few means the processor is still reporting.
            if (current.Commits - previous.Commits <= 2)
                return current;
            previous = current;
        }
        return previous;
    }

    public DatabaseCounters Minus(DatabaseCounters before) =>
        new(Commits - before.Commits, Statements - before.Statements, RowsWritten - before.RowsWritten);

    private static async Task<long?> StatementsAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync();
            await using var calls = new NpgsqlCommand(
                "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                + "WHERE d.datname = current_database()", connection);
            return (long)(await calls.ExecuteScalarAsync())!;
        }
        catch (PostgresException)
        {
            // Not in shared_preload_libraries: the caller reports rows written instead.
            return null;
        }
    }
}
