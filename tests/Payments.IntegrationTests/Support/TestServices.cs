using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Xunit;

namespace Payments.IntegrationTests.Support;

/// <summary>
/// The real RabbitMQ node and PostgreSQL cluster that infra/test.sh starts. Each fixture gets a database and a
/// virtual host of its own, so fixtures never see each other's messages or rows.
/// </summary>
public static class TestServices
{
    public static string PostgresConnectionString => Required("PAYMENTS_TEST_POSTGRES");

    public static (string Host, ushort Port) RabbitMq
    {
        get
        {
            var value = Required("PAYMENTS_TEST_RABBITMQ");
            var parts = value.Split(':');
            return (parts[0], ushort.Parse(parts[1], CultureInfo.InvariantCulture));
        }
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<string> CreateDatabase(string name)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name, MaxPoolSize = 60 }.ConnectionString;
    }

    public static async Task CreateVirtualHost(string name)
    {
        var script = Path.Combine(RepositoryRoot, "infra", "test-services", "rabbitmq.sh");
        var start = new ProcessStartInfo("bash", [script, "vhost", name]) { RedirectStandardError = true };
        start.Environment["PAYMENTS_TEST_RABBIT_PORT"] = RabbitMq.Port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Could not create RabbitMQ virtual host {name}: {error}");
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: the integration tests run on real RabbitMQ and PostgreSQL. Run them with infra/test.sh, " +
                "or start infra/test-services/postgres.sh and rabbitmq.sh and export what they print.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Payments.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Payments.sln not found above " + AppContext.BaseDirectory);
    }
}
