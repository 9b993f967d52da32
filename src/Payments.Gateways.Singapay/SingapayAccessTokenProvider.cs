using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Gateways.Resilience;
using Polly.Timeout;

namespace Payments.Gateways.Singapay;

/// <summary>
/// Fetches Singapay's B2B access token (POST /api/v1.1/access-token/b2b) and caches it until shortly before it
/// expires. One refresh runs at a time; callers waiting for it share its result.
/// </summary>
public sealed partial class SingapayAccessTokenProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<SingapayOptions> options,
    TimeProvider timeProvider,
    ILogger<SingapayAccessTokenProvider> logger) : IDisposable
{
    internal const string TokenPath = "api/v1.1/access-token/b2b";

    private readonly SemaphoreSlim _refreshLock = new(1, 1);

    /// <summary>X-PARTNER-ID, sent on every call.</summary>
    internal string ApiKey => options.Value.ApiKey;
    private volatile CachedToken? _current;

    public void Dispose() => _refreshLock.Dispose();

    /// <summary>A valid access token, fetched when none is cached or the cached one is due for refresh.</summary>
    /// <exception cref="SingapayAuthenticationException">Singapay refused to issue a token, or its answer was unreadable.</exception>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && cached.IsFresh(timeProvider.GetUtcNow()))
            return cached.Value;

        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } refreshed && refreshed.IsFresh(timeProvider.GetUtcNow()))
                return refreshed.Value;
            var token = await FetchAsync(cancellationToken).ConfigureAwait(false);
            _current = token;
            return token.Value;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>
    /// Forgets the cached token after Singapay refused it (SP013). With <paramref name="rejectedToken"/>, only that
    /// token is forgotten, so a caller holding an old token cannot throw away a newer one another caller just fetched.
    /// </summary>
    public void Invalidate(string? rejectedToken = null)
    {
        var current = _current;
        if (current is null)
            return;
        if (rejectedToken is null || current.Value == rejectedToken)
            Interlocked.CompareExchange(ref _current, null, current);
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenPath)
        {
            Content = new StringContent("""{"grant_type":"client_credentials"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-PARTNER-ID", settings.ApiKey);
        request.Headers.Add("X-CLIENT-ID", settings.ClientId);
        request.Headers.Add("X-Signature", SingapaySignatures.AccessTokenSignature(settings.ClientId, settings.ClientSecret, now));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.SetGatewayCallKind(GatewayCallKind.Token);

        var http = httpClientFactory.CreateClient(SingapayClient.HttpClientName);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return ReadToken(response.StatusCode, body, now, settings.TokenRefreshMargin);
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or HttpRequestException
                                           || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Without a token no card call is sent: callers can treat this as "not sent".
            var code = exception is HttpRequestException transport ? $"transport:{transport.HttpRequestError}" : "timeout";
            LogTokenRequestFailed(logger, code);
            throw new SingapayAuthenticationException(code, "the access token request failed", exception);
        }
    }

    private CachedToken ReadToken(HttpStatusCode status, byte[] body, DateTimeOffset now, TimeSpan refreshMargin)
    {
        SingapayEnvelope<SingapayTokenData>? envelope = null;
        try
        {
            envelope = JsonSerializer.Deserialize<SingapayEnvelope<SingapayTokenData>>(body, SingapayJson.Options);
        }
        catch (JsonException)
        {
            // Reported below as an unreadable answer.
        }

        var data = envelope?.Data;
        if ((int)status is < 200 or > 299 || string.IsNullOrEmpty(data?.AccessToken))
        {
            var code = envelope?.ResponseCode ?? $"HTTP {(int)status}";
            LogTokenRefused(logger, code, envelope?.ResponseMessage);
            throw new SingapayAuthenticationException(code, envelope?.ResponseMessage ?? "no access token in the answer");
        }

        var lifetime = TimeSpan.FromSeconds(ParseSeconds(data.ExpiresIn) ?? 0);
        if (lifetime <= TimeSpan.Zero)
            throw new SingapayAuthenticationException("expires_in", "the access token came without a usable expires_in");

        // A margin longer than the token's life would refresh on every call; keep at least half the lifetime.
        var usable = lifetime - refreshMargin;
        if (usable < lifetime / 2)
            usable = lifetime / 2;
        LogTokenObtained(logger, lifetime);
        return new CachedToken(data.AccessToken, now + usable);
    }

    private static double? ParseSeconds(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var seconds) => seconds,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) => seconds,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Singapay access token request failed: {Failure}")]
    private static partial void LogTokenRequestFailed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Singapay refused an access token: {Code} {Message}")]
    private static partial void LogTokenRefused(ILogger logger, string code, string? message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Singapay access token obtained, valid for {Lifetime}")]
    private static partial void LogTokenObtained(ILogger logger, TimeSpan lifetime);

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt)
    {
        public bool IsFresh(DateTimeOffset now) => now < RefreshAt;
    }
}

/// <summary>No access token: Singapay refused one (wrong credentials, bad signature), its answer was unreadable, or the request failed.</summary>
public sealed class SingapayAuthenticationException(string code, string message, Exception? inner = null)
    : Exception($"Singapay access token refused ({code}): {message}", inner)
{
    public string Code { get; } = code;
}
