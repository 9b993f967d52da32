using Payments.Processor.Configuration;

namespace Payments.Processor.Hosting;

public enum TransportKind { InMemory, RabbitMq }

public enum DatabaseProvider { InMemory, PostgreSql, SqlServer }

/// <summary>
/// Which transport and persistence the processor runs on, read once at start. Nothing configured means the
/// embedded default: in-memory bus and saga store, the sandbox in-process. Bad settings stop start-up naming the key.
/// </summary>
public sealed record ProcessorSettings(
    TransportKind Transport,
    RabbitMqSettings? RabbitMq,
    DatabaseProvider Database,
    string? ConnectionString,
    bool EmbeddedSandbox,
    bool MigrateOnStart = true)
{
    public bool IsDurable => Transport == TransportKind.RabbitMq && Database != DatabaseProvider.InMemory;

    public static ProcessorSettings Read(IConfiguration configuration)
    {
        var rabbit = RabbitMqSettings.Read(configuration);
        var database = ReadDatabase(configuration);
        var connectionString = configuration.GetConnectionString("Payments");
        if (database != DatabaseProvider.InMemory && string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidSettingException("ConnectionStrings:Payments",
                $"is required when Database:Provider is {database}");
        if (rabbit is not null && database == DatabaseProvider.InMemory)
            throw new InvalidSettingException("Database:Provider",
                "is required when RabbitMq:Host is set: a durable bus needs a durable saga store (PostgreSql or SqlServer)");

        var embeddedSandbox = ReadBool(configuration, "Sandbox:Embedded", defaultValue: rabbit is null);
        var migrateOnStart = ReadBool(configuration, "Database:MigrateOnStart", defaultValue: true);
        return new ProcessorSettings(rabbit is null ? TransportKind.InMemory : TransportKind.RabbitMq, rabbit, database,
            connectionString, embeddedSandbox, migrateOnStart);
    }

    private static DatabaseProvider ReadDatabase(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value) || value.Equals("InMemory", StringComparison.OrdinalIgnoreCase))
            return DatabaseProvider.InMemory;
        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidSettingException("Database:Provider", $"'{value}' is not one of PostgreSql, SqlServer, InMemory");
    }

    internal static bool ReadBool(IConfiguration configuration, string key, bool defaultValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
            return defaultValue;
        return bool.TryParse(value, out var result)
            ? result
            : throw new InvalidSettingException(key, $"'{value}' is not true or false");
    }
}

public sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string Username, string Password,
    ushort PrefetchCount = RabbitMqSettings.DefaultPrefetchCount, bool QuorumQueues = false)
{
    /// <summary>RabbitMQ's <c>x-queue-type</c> values this setting accepts (<c>RabbitMq:QueueType</c>).</summary>
    public const string ClassicQueues = "classic", QuorumQueueType = "quorum";

    /// <summary>
    /// Messages each endpoint takes from its queue, and works on, at once. MassTransit's default is twice the core
    /// count (4 on two cores), which held the saga's queue to about 25 charges/s while broker and database idled.
    /// </summary>
    public const ushort DefaultPrefetchCount = 32;

    public static RabbitMqSettings? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("RabbitMq");
        var host = section["Host"];
        if (string.IsNullOrWhiteSpace(host))
        {
            foreach (var key in new[] { "Port", "VirtualHost", "Username", "Password", "PrefetchCount", "QueueType" })
                if (!string.IsNullOrWhiteSpace(section[key]))
                    throw new InvalidSettingException("RabbitMq:Host", $"is required when RabbitMq:{key} is set");
            return null;
        }

        var portText = section["Port"];
        ushort port = 5672;
        if (!string.IsNullOrWhiteSpace(portText) && (!ushort.TryParse(portText, out port) || port == 0))
            throw new InvalidSettingException("RabbitMq:Port", $"'{portText}' is not a port number");
        var prefetchText = section["PrefetchCount"];
        var prefetch = DefaultPrefetchCount;
        if (!string.IsNullOrWhiteSpace(prefetchText) && (!ushort.TryParse(prefetchText, out prefetch) || prefetch == 0))
            throw new InvalidSettingException("RabbitMq:PrefetchCount", $"'{prefetchText}' is not a whole number from 1 to 65535");
        var queueType = section["QueueType"] is { Length: > 0 } type ? type.Trim() : ClassicQueues;
        if (!queueType.Equals(ClassicQueues, StringComparison.OrdinalIgnoreCase) && !queueType.Equals(QuorumQueueType, StringComparison.OrdinalIgnoreCase))
            throw new InvalidSettingException("RabbitMq:QueueType", $"'{queueType}' is not {ClassicQueues} or {QuorumQueueType}");
        return new RabbitMqSettings(host, port, section["VirtualHost"] is { Length: > 0 } vhost ? vhost : "/",
            section["Username"] is { Length: > 0 } user ? user : "guest",
            section["Password"] is { Length: > 0 } password ? password : "guest",
            prefetch,
            queueType.Equals(QuorumQueueType, StringComparison.OrdinalIgnoreCase));
    }
}
