using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Payments.Processor.Hosting;

/// <summary>
/// Turns on Npgsql's automatic statement preparation when the PostgreSQL connection string leaves it unset: the
/// processor repeats a few dozen statements for ever, and unprepared they cost PostgreSQL a parse and a plan each time
/// (about a third of its CPU at full load). A connection string that names either setting is left exactly as it is.
/// See docs/performance.md.
/// </summary>
internal static class PostgresAutoPrepare
{
    /// <summary>Room for every statement the saga, outbox, inbox, scheduler and ledger repeat, per connection.</summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>A statement is prepared on its second use, so one-off statements (migrations) don't take a slot.</summary>
    public const int AutoPrepareMinUsages = 2;

    public static string WithDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(IsAutoPrepareKey))
            return connectionString;

        return new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxAutoPrepare = MaxAutoPrepare,
            AutoPrepareMinUsages = AutoPrepareMinUsages,
        }.ConnectionString;
    }

    private static bool IsAutoPrepareKey(string key)
    {
        var compact = key.Replace(" ", "", StringComparison.Ordinal).ToLower(CultureInfo.InvariantCulture);
        return compact is "maxautoprepare" or "autoprepareminusages";
    }
}
