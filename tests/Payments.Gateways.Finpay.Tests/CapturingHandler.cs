using System.Net;
using System.Text;

namespace Payments.Gateways.Finpay.Tests;

/// <summary>Stands in for Finpay: records each request (with its body) and answers with a scripted reply.</summary>
internal sealed class CapturingHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply) : HttpMessageHandler
{
    private readonly List<CapturedRequest> _requests = [];

    public IReadOnlyList<CapturedRequest> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    public static CapturingHandler Answering(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) }));

    public static CapturingHandler Finpay(HttpStatusCode status, string responseCode, string responseMessage, string? dataJson = null) =>
        Answering(status, dataJson is null
            ? $$"""{"responseCode":"{{responseCode}}","responseMessage":"{{responseMessage}}"}"""
            : $$"""{"responseCode":"{{responseCode}}","responseMessage":"{{responseMessage}}","data":{{dataJson}}}""");

    public static CapturingHandler Hanging() =>
        new(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_requests)
        {
            _requests.Add(new CapturedRequest(
                request.Method,
                request.RequestUri!,
                request.Headers.Authorization?.Scheme,
                request.Headers.Authorization?.Parameter,
                request.Content?.Headers.ContentType?.MediaType,
                body));
        }
        return await reply(request, cancellationToken);
    }
}

internal sealed record CapturedRequest(
    HttpMethod Method, Uri Uri, string? AuthScheme, string? AuthParameter, string? ContentType, string? Body);
