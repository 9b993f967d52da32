using System.Globalization;
using Npgsql;

namespace Payments.Benchmarks.EndToEnd;

/// <summary>
/// RabbitMQ and PostgreSQL for one run: the ones exported by infra/test.sh (PAYMENTS_TEST_RABBITMQ, PAYMENTS_TEST_POSTGRES)
/// when set, else nodes started here with infra/test-services (PostgreSQL with fsync on) and stopped at the end.
/// Each run gets a database and a RabbitMQ virtual host of its own.
/// </summary>
public sealed class TestServices : IAsyncDisposable
{
    public const string RabbitMqVariable = "PAYMENTS_TEST_RABBITMQ";
    public const string PostgresVariable = "PAYMENTS_TEST_POSTGRES";

    private readonly bool _startedRabbitMq;
    private readonly bool _startedPostgres;

    private TestServices(string rabbitMqHost, ushort rabbitMqPort, string serverConnectionString, string runName,
        bool startedRabbitMq, bool startedPostgres)
    {
        RabbitMqHost = rabbitMqHost;
        RabbitMqPort = rabbitMqPort;
        ServerConnectionString = serverConnectionString;
        VirtualHost = runName;
        DatabaseName = runName.Replace('-', '_');
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = DatabaseName }.ConnectionString;
        _startedRabbitMq = startedRabbitMq;
        _startedPostgres = startedPostgres;
    }

    public string RabbitMqHost { get; }
    public ushort RabbitMqPort { get; }
    public string VirtualHost { get; }
    public string ServerConnectionString { get; }
    public string DatabaseName { get; }
    /// <summary>The run's own database.</summary>
    public string ConnectionString { get; }

    /// <param name="runName">the run's database and virtual host</param>
    /// <param name="reuseExported">false to start services of our own even when infra/test.sh exported some (chaos restarts them)</param>
    public static async Task<TestServices> StartAsync(string runName, bool reuseExported = true)
    {
        var rabbitMq = reuseExported ? Environment.GetEnvironmentVariable(RabbitMqVariable) : null;
        var startedRabbitMq = string.IsNullOrWhiteSpace(rabbitMq);
        if (startedRabbitMq)
            rabbitMq = await StartScriptAsync("rabbitmq.sh", RabbitMqVariable, durablePostgres: false);

        var postgres = reuseExported ? Environment.GetEnvironmentVariable(PostgresVariable) : null;
        var startedPostgres = string.IsNullOrWhiteSpace(postgres);
        if (startedPostgres)
            postgres = await StartScriptAsync("postgres.sh", PostgresVariable, durablePostgres: true);

        var (host, portText) = rabbitMq!.Split(':', 2) is [var h, var p] ? (h, p) : (rabbitMq, "5672");
        var port = ushort.Parse(portText, CultureInfo.InvariantCulture);
        var services = new TestServices(host, port, postgres!, runName, startedRabbitMq, startedPostgres);

        await ShellCommand.RunAsync("bash", [RepositoryLayout.TestServicesScript("rabbitmq.sh"), "vhost", services.VirtualHost],
            new Dictionary<string, string> { ["PAYMENTS_TEST_RABBIT_PORT"] = portText });
        await services.ExecuteOnServerAsync($"CREATE DATABASE \"{services.DatabaseName}\"");
        return services;
    }

    /// <summary>fsync, as the server reports it: a benchmark on a server without it says so.</summary>
    public async Task<string> PostgresDurabilityAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')", connection);
        return "fsync " + (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        }
        catch (NpgsqlException exception)
        {
            Console.Error.WriteLine($"end-to-end: could not drop {DatabaseName}: {exception.Message}");
        }
        if (_startedRabbitMq)
            await ShellCommand.RunAsync("bash", [RepositoryLayout.TestServicesScript("rabbitmq.sh"), "stop"], throwOnFailure: false);
        if (_startedPostgres)
            await ShellCommand.RunAsync("bash", [RepositoryLayout.TestServicesScript("postgres.sh"), "stop"], throwOnFailure: false);
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartScriptAsync(string script, string variable, bool durablePostgres)
    {
        var environment = new Dictionary<string, string>();
        if (durablePostgres)
            environment["PAYMENTS_TEST_PG_DURABLE"] = "1";
        var output = await ShellCommand.RunAsync("bash", [RepositoryLayout.TestServicesScript(script), "start"], environment);
        // The script prints one line: export NAME="value".
        var prefix = $"export {variable}=\"";
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{script} start printed no {variable}: {output}");
        return line[prefix.Length..].TrimEnd().TrimEnd('"');
    }
}
