using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Payments.Gateways.Tests.Resilience;

/// <summary>
/// A TCP server on 127.0.0.1 that reads each HTTP request in full, then resets the connection without answering:
/// the request reached the "gateway", but the caller cannot know what became of it.
/// </summary>
internal sealed class ResettingServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public ResettingServer()
    {
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            await ReadRequestThenResetAsync(socket);
        }
    }

    private async Task ReadRequestThenResetAsync(Socket socket)
    {
        using (socket)
        {
            var received = new StringBuilder();
            var buffer = new byte[4096];
            try
            {
                while (!HasWholeRequest(received.ToString()))
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (read == 0)
                        return;
                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                Interlocked.Increment(ref _requests);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            socket.LingerState = new LingerOption(true, 0); // close with RST
        }
    }

    private static bool HasWholeRequest(string text)
    {
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
            return false;
        var lengthLine = text[..headerEnd].Split("\r\n")
            .FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        return text.Length - (headerEnd + 4) >= length;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

internal static class ClosedPort
{
    /// <summary>An address on 127.0.0.1 where nothing listens, so connecting is refused.</summary>
    public static Uri Address()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
