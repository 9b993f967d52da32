using System.Net;
using System.Net.Sockets;

namespace Payments.Testing;

/// <summary>Ports for test servers: every listener binds 127.0.0.1.</summary>
public static class LoopbackPorts
{
    /// <summary>A port free on 127.0.0.1 right now (the OS picks it; the caller binds it soon after).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
