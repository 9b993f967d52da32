using System.Globalization;
namespace Payments.Benchmarks.OutboxRelay;

public sealed record OutboxRelayOptions(
    int Messages,
    string ConnectionString,
    RabbitMqAddress? RabbitMq,
    int Relays,
    int Batch,
    int Concurrency,
    int MessagesPerScope)
{
    public const string ConnectionStringVariable = "PAYMENTS_TEST_POSTGRES";

    public static OutboxRelayOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected '--option value' pairs, got '{string.Join(' ', args)}'");
            values[args[i][2..]] = args[i + 1];
        }

        var connectionString = values.GetValueOrDefault("connection") ?? Environment.GetEnvironmentVariable(ConnectionStringVariable)
            ?? throw new ArgumentException($"Give --connection or set {ConnectionStringVariable} "
                + "(eval \"$(infra/test-services/postgres.sh start)\" starts a throwaway PostgreSQL and sets it).");

        return new OutboxRelayOptions(
            IntOption(values, "messages", 20000),
            connectionString,
            values.TryGetValue("rabbitmq", out var rabbitMq) ? RabbitMqAddress.Parse(rabbitMq) : null,
            IntOption(values, "relays", 1),
            IntOption(values, "batch", 1000),
            IntOption(values, "concurrency", 64),
            IntOption(values, "messages-per-scope", 1));
    }

    private static int IntOption(Dictionary<string, string> values, string name, int defaultValue)
    {
        if (!values.TryGetValue(name, out var text))
            return defaultValue;
        return int.TryParse(text, out var value) && value > 0 ? value : throw new ArgumentException($"--{name} must be a positive number");
    }
}


/// <summary><c>[user:password@]host[:port]</c>; guest/guest and 5672 by default.</summary>
public sealed record RabbitMqAddress(string Host, ushort Port, string Username, string Password)
{
    public static RabbitMqAddress Parse(string text)
    {
        var (credentials, endpoint) = text.Split('@', 2) is [var user, var rest] ? (user, rest) : ("guest:guest", text);
        var (username, password) = credentials.Split(':', 2) is [var name, var secret] ? (name, secret) : (credentials, "");
        var (host, port) = endpoint.Split(':', 2) is [var h, var p] ? (h, ushort.Parse(p, CultureInfo.InvariantCulture)) : (endpoint, (ushort)5672);
        return new RabbitMqAddress(host, port, username, password);
    }

    public override string ToString() => $"{Host}:{Port}";
}
