namespace Payments.Processor.Configuration;

/// <summary>A setting to fix: names its key and what is wrong with it. Start-up stops with this message, not a stack trace.</summary>
public sealed class InvalidSettingException(string key, string problem, Exception? innerException = null)
    : Exception($"Configuration error: {key} {problem}.", innerException)
{
    public string Key { get; } = key;

    /// <summary>A listening address of <paramref name="key"/> that is taken or not allowed.</summary>
    public static InvalidSettingException AddressUnavailable(string key, string address, IOException exception) =>
        new(key, $"= {address} can't be listened on ({exception.Message.TrimEnd('.')}): another process may be using it; " +
                 $"choose a free port in {key} or stop that process", exception);
}
