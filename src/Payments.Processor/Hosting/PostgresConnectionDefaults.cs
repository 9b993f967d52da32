using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Payments.Processor.Hosting;

/// <summary>
/// Npgsql settings the processor's statement mix needs, added when the PostgreSQL connection string leaves them unset.
/// A connection string that names a setting keeps its own value. See docs/performance.md.
/// <list type="bullet">
/// <item>Automatic preparation: the processor repeats a few dozen statements for ever, and unprepared they cost
/// PostgreSQL a parse and a plan each time (about a third of its CPU at full load).</item>
/// <item>No reset on close: once statements are prepared, Npgsql resets a pooled connection with seven statements
/// (unlock, discard temp and sequences, reset, close, unlisten) every time it goes back to the pool: about 100 of
/// 176 statements per charge. The processor sets no session state, so there is nothing to reset.</item>
/// </list>
/// </summary>
internal static class PostgresConnectionDefaults
{
    /// <summary>Room for every statement the saga, outbox, inbox, scheduler and ledger repeat, per connection.</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>A statement is prepared on its second use, so one-off statements (migrations) don't take a slot.</summary>
    public const int AutoPrepareMinUsages = 2;

    public static string WithDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>().Select(Compact).ToHashSet();
        var result = new NpgsqlConnectionStringBuilder(connectionString);

        if (!given.Contains("maxautoprepare") && !given.Contains("autoprepareminusages"))
        {
            result.MaxAutoPrepare = MaxAutoPrepare;
            result.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }

        if (!given.Contains("noresetonclose"))
            result.NoResetOnClose = true;

        return result.ConnectionString;
    }

    private static string Compact(string key) =>
        key.Replace(" ", "", StringComparison.Ordinal).ToLower(CultureInfo.InvariantCulture);
}
