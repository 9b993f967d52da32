using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Payments.Gateways.Tests.Propagation;

/// <summary>A stand-in gateway on 127.0.0.1 that answers 200 and keeps the headers of every request it received.</summary>
internal sealed class HeaderCapturingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requests = new();

    private HeaderCapturingServer(WebApplication app) => _app = app;

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests => _requests.ToArray();

    public Uri BaseAddress => new(_app.Urls.First() + "/");

    public static async Task<HeaderCapturingServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new HeaderCapturingServer(app);
        app.Run(context =>
        {
            server._requests.Enqueue(context.Request.Headers.ToDictionary(
                h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            return context.Response.WriteAsync("{}", context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
