using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Testing;

/// <summary>Finds TCP ports on 127.0.0.1 that nothing listens on.</summary>
/// <remarks>
/// A port is only known to be free when it is chosen. Another process could take it before the caller binds it,
/// which is unlikely on a test machine.
/// </remarks>
public static class FreePort
{
    /// <summary>Returns one port that was free a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Returns <paramref name="count"/> distinct ports that were free a moment ago. Every listener stays open until
    /// all ports are chosen, so no port is returned twice.
    /// </summary>
    public static IReadOnlyList<int> Allocate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }
}
