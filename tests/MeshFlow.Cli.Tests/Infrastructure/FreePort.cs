using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>Finds TCP ports on 127.0.0.1 that nothing listens on.</summary>
public static class FreePort
{
    /// <summary>
    /// Returns a port that was free a moment ago. Another process could take it before the caller binds it, which
    /// is unlikely on a test machine.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
