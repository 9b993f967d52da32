using System.Collections.Concurrent;

namespace Payments.Sandbox.Singapay;

/// <summary>Access tokens the simulated Singapay issued, each with its expiry (read from the injected clock).</summary>
public sealed class SingapayTokenStore(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    internal string Issue(TimeSpan lifetime)
    {
        var token = SingapayWireFormat.NewToken();
        _expiries[token] = timeProvider.GetUtcNow() + lifetime;
        return token;
    }

    internal bool IsValid(string? token) =>
        token is not null && _expiries.TryGetValue(token, out var expiresAt) && timeProvider.GetUtcNow() < expiresAt;

    /// <summary>Makes every issued token invalid, so the next card call gets SP013 (as after an early revocation).</summary>
    public void RevokeAll() => _expiries.Clear();
}
