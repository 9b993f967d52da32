using System.Text;
using System.Text.RegularExpressions;
using Payments.Benchmarks.EndToEnd;

namespace Payments.Benchmarks.Chaos;

/// <summary>
/// Looks for the test card numbers, and the test CVV next to the word "cvv", in a pg_dump of the run's database, the
/// processors' logs and every file of RabbitMQ's data directory (message store and queue indexes included).
/// </summary>
public static partial class CardDataScan
{
    public static readonly string[] TestCardNumbers =
    [
        ChaosCards.Success, ChaosCards.ThreeDs, ChaosCards.Declined, ChaosCards.UpstreamTimeout, ChaosCards.Hang,
    ];

    [GeneratedRegex("cvv[^0-9A-Za-z]{0,6}" + ChargeDriver.Cvv, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CvvNearby();

    public sealed record Hits(string Where, int CardNumbers, int Cvvs, string? Example);

    public static async Task<IReadOnlyList<Hits>> ScanAsync(TestServices services, IEnumerable<string> logFiles)
    {
        var hits = new List<Hits>();
        hits.Add(Scan("pg_dump of the run database", await DumpDatabaseAsync(services)));
        foreach (var log in logFiles.Where(File.Exists))
            hits.Add(Scan($"log {Path.GetFileName(log)}", await File.ReadAllBytesAsync(log)));

        var rabbitDirectory = RabbitMqDataDirectory(services);
        if (rabbitDirectory is null)
            hits.Add(new Hits("RabbitMQ data directory (not found)", 0, 0, null));
        else
        {
            var files = Directory.EnumerateFiles(rabbitDirectory, "*", SearchOption.AllDirectories).ToList();
            var total = new Hits($"RabbitMQ data directory ({files.Count} files)", 0, 0, null);
            foreach (var file in files)
            {
                byte[] bytes;
                try
                {
                    bytes = await File.ReadAllBytesAsync(file);
                }
                catch (IOException)
                {
                    continue;
                }
                var found = Scan(file, bytes);
                total = total with
                {
                    CardNumbers = total.CardNumbers + found.CardNumbers,
                    Cvvs = total.Cvvs + found.Cvvs,
                    Example = total.Example ?? (found.CardNumbers + found.Cvvs > 0 ? Path.GetRelativePath(rabbitDirectory, file) : null),
                };
            }
            hits.Add(total);
        }
        return hits;
    }

    private static Hits Scan(string where, byte[] bytes)
    {
        // Latin-1 maps every byte to one char, so binary files scan as well as text.
        var text = Encoding.Latin1.GetString(bytes);
        var cards = TestCardNumbers.Sum(number => Count(text, number));
        var cvvs = CvvNearby().Count(text);
        return new Hits(where, cards, cvvs, null);
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static async Task<byte[]> DumpDatabaseAsync(TestServices services)
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(services.ConnectionString);
        var dump = await ShellCommand.RunAsync(ServiceRestarts.PostgresBinary("pg_dump"),
            ["-h", connection.Host!, "-p", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-U", connection.Username ?? "postgres", "--data-only", services.DatabaseName]);
        return Encoding.UTF8.GetBytes(dump);
    }

    private static string? RabbitMqDataDirectory(TestServices services)
    {
        var stateFile = $"/tmp/payments-test-rabbit-{services.RabbitMqPort}.dir";
        return File.Exists(stateFile) && File.ReadAllText(stateFile).Trim() is { Length: > 0 } directory && Directory.Exists(directory)
            ? directory
            : null;
    }
}

/// <summary>The sandbox's test cards (docs/sandbox-test-cards.md) the chaos run mixes.</summary>
public static class ChaosCards
{
    public const string Success = "4111111111111111";
    public const string ThreeDs = "4000000000003220";
    public const string Declined = "4000000000000002";
    public const string UpstreamTimeout = "4000000000000119";
    public const string Hang = "4000000000000127";
}
