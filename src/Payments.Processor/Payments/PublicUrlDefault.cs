using Payments.Processor.Configuration;
using Payments.Processor.Hosting;

namespace Payments.Processor.Payments;

/// <summary>
/// <see cref="PaymentOptions.PublicUrl"/> when it is not configured: the first address in Urls, with a wildcard host
/// read as localhost. A port of 0 is chosen at start, so it gives no public address.
/// </summary>
public static class PublicUrlDefault
{
    public const string Key = "Payments:PublicUrl";

    public static string? Resolve(string? configured, string? urls)
    {
        if (configured is { Length: > 0 })
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new InvalidSettingException(Key, $"= {configured} is not an absolute http or https URL");
            return configured.TrimEnd('/');
        }
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
            return null;
        var named = first
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(named, UriKind.Absolute, out var address) && address.Port != 0 ? named.TrimEnd('/') : null;
    }
}
