using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>Finds TCP ports on 127.0.0.1 that nothing listens on.</summary>
public static class FreePorts
{
    /// <summary>
    /// Returns <paramref name="count"/> distinct ports that were free a moment ago. All listeners stay open until
    /// every port is chosen, so the ports differ. Another process could take one before the caller binds it, which
    /// is unlikely on a test machine.
    /// </summary>
    public static IReadOnlyList<int> Allocate(int count)
    {
        var listeners = new List<TcpListener>();
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
