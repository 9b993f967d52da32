using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>
/// Keeps every log line at every level as a sink would write it: the formatted message, the exception with its inner
/// exceptions and stack, every scope, and each structured value (objects serialized as JSON, as a structured sink
/// would destructure them). Tests search <see cref="Lines"/> for card data.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly List<string> _lines = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return _lines.ToArray();
        }
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private void Add(string line)
    {
        lock (_lines)
            _lines.Add(line);
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var parts = new List<string> { $"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}" };
            parts.AddRange(Values(state));
            if (exception is not null)
                parts.Add(exception.ToString());
            provider._scopes.ForEachScope((scope, list) =>
            {
                list.Add(scope?.ToString() ?? "");
                list.AddRange(Values(scope));
            }, parts);
            provider.Add(string.Join(" | ", parts));
        }

        private static IEnumerable<string> Values(object? state)
        {
            if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
                yield break;
            foreach (var (key, value) in pairs)
                yield return $"{key}={Render(value)}";
        }

        private static string Render(object? value)
        {
            if (value is null or string or IFormattable)
                return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            try
            {
                return JsonSerializer.Serialize(value, value.GetType());
            }
            catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or JsonException)
            {
                return value.ToString() ?? "";
            }
        }
    }
}
