using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Payments.Gateways.Singapay.Tests.Support;

/// <summary>
/// An in-memory Singapay: answers the token endpoint with a fresh token and hands every other request to a script.
/// Records what arrived (method, path, headers, body) so tests can check the wire format.
/// </summary>
public sealed class StubSingapay : HttpMessageHandler
{
    private int _tokensIssued;

    public Func<RecordedRequest, Task<HttpResponseMessage>> CardApi { get; set; } =
        _ => Task.FromResult(Json(HttpStatusCode.OK, """{"response_code":"SP000","response_message":"Successfully","data":{}}"""));

    public Func<RecordedRequest, int, HttpResponseMessage>? TokenApi { get; set; }

    public string ExpiresIn { get; set; } = "\"3600\"";

    public TimeSpan TokenLatency { get; set; } = TimeSpan.Zero;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int TokenRequests => Requests.Count(r => r.Path.EndsWith("/access-token/b2b", StringComparison.Ordinal));

    public IReadOnlyList<RecordedRequest> CardRequests => Requests.Where(r => r.Path.Contains("/card/", StringComparison.Ordinal)).ToList();

    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Envelope(HttpStatusCode status, string code, string message, string data = "null") =>
        Json(status, $$"""{"response_code":"{{code}}","response_message":"{{message}}","data":{{data}}}""");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var recorded = new RecordedRequest(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken))
        {
            Aborted = cancellationToken,
        };
        Requests.Enqueue(recorded);

        if (!recorded.Path.EndsWith("/access-token/b2b", StringComparison.Ordinal))
            return await CardApi(recorded);

        if (TokenLatency > TimeSpan.Zero)
            await Task.Delay(TokenLatency, cancellationToken);
        var issued = Interlocked.Increment(ref _tokensIssued);
        if (TokenApi is not null)
            return TokenApi(recorded, issued);
        return Json(HttpStatusCode.OK,
            $$$"""{"status":200,"success":true,"data":{"access_token":"token-{{{issued}}}","token_type":"Bearer","expires_in":{{{ExpiresIn}}}}}""");
    }
}

public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Cancelled when the client gives up on this request (e.g. its timeout).</summary>
    public CancellationToken Aborted { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
