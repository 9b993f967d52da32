using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Payments.Sandbox;

namespace Payments.Processor.Tests.Observability.Support;

/// <summary>A stand-in OTLP/HTTP collector on a free loopback port: keeps each POST's path, content type and body.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedExport> _exports = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Address => _app.BoundAddress();

    public IReadOnlyList<ReceivedExport> Exports => _exports.ToArray();

    public static async Task<OtlpReceiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.Enqueue(new ReceivedExport(request.Path, request.ContentType, body.ToArray()));
            // An empty Export*ServiceResponse: protobuf encodes it as zero bytes.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedExport(string Path, string? ContentType, byte[] Body)
{
    public bool Contains(string text) =>
        Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;
}
