using System.Globalization;
using Payments.Benchmarks.EndToEnd;

namespace Payments.Benchmarks.Chaos;

/// <summary>
/// Restarts of the throwaway services started by infra/test-services, found by their state files:
/// RabbitMQ's application is stopped and started again on its node (queues come back from disk, every connection
/// drops); PostgreSQL is restarted with pg_ctl's fast mode (every connection drops, uncommitted work is lost).
/// </summary>
public static class ServiceRestarts
{
    public static async Task RestartBrokerAsync(TestServices services)
    {
        // Through the script: it knows the node's own epmd port and loopback-only Erlang settings the CLI needs.
        var environment = new Dictionary<string, string>
        {
            ["PAYMENTS_TEST_RABBIT_PORT"] = services.RabbitMqPort.ToString(CultureInfo.InvariantCulture),
        };
        await ShellCommand.RunAsync("bash", [RepositoryLayout.TestServicesScript("rabbitmq.sh"), "restart-app", "2"], environment);
    }

    public static async Task RestartDatabaseAsync(TestServices services)
    {
        var port = new Npgsql.NpgsqlConnectionStringBuilder(services.ServerConnectionString).Port;
        var clusterDirectory = (await File.ReadAllTextAsync($"/tmp/payments-test-pg-{port}.dir")).Trim();
        var pgCtl = PostgresBinary("pg_ctl");
        // -l: without a log file the server would keep pg_ctl's output open, and this call would never return.
        await ShellCommand.RunAsync("runuser", ["-u", "postgres", "--", pgCtl, "-D", Path.Combine(clusterDirectory, "data"),
            "-l", Path.Combine(clusterDirectory, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"]);
    }

    private static readonly string[] PostgresBinaryDirectories = ["/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin"];

    public static string PostgresBinary(string name) =>
        PostgresBinaryDirectories
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists) ?? name;
}
