using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// A TCP listener on 127.0.0.1 that accepts connections and never sends a byte, like a gateway that hangs.
/// </summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> accepted = [];
    private readonly CancellationTokenSource stopping = new();

    public SilentListener()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        lock (accepted)
        {
            foreach (var client in accepted)
            {
                client.Dispose();
            }
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stopping.Token);
                lock (accepted)
                {
                    accepted.Add(client);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The listener was stopped.
        }
    }
}
