using System.Net;
using System.Net.Sockets;
using MeshFlow.Grains.Hosting;
using MeshFlow.Grains.Postgres;
using Orleans.Configuration;

namespace MeshFlow.Silo;

/// <summary>
/// Configures the silo for the chosen storage mode and checks the database before it starts.
/// </summary>
internal static class SiloStartup
{
    /// <summary>
    /// Checks that the database has the schema this build needs. Returns null when it does, else one message for
    /// the operator and the exit code: 2 for a missing or outdated schema, 1 for a database that cannot be reached.
    /// </summary>
    public static async Task<(string Message, int ExitCode)?> CheckSchemaAsync(string connectionString)
    {
        try
        {
            var status = await SchemaMigrator.GetStatusAsync(connectionString, CancellationToken.None);
            return status.IsReady ? null : ("Cannot start the silo: " + status.Message, 2);
        }
        catch (PostgresConnectionException ex)
        {
            return ("Cannot start the silo: " + ex.Message, 1);
        }
    }

    /// <summary>
    /// Returns null when the silo and gateway ports are free on the advertised address, else one message naming the
    /// port in use. Orleans' listeners allow a second process to bind a port that one silo already listens on, and
    /// two silos on one port would split the calls between them, so the check runs before the host starts.
    /// </summary>
    public static string? CheckPortsFree(SiloSettings settings)
    {
        foreach (var (port, key) in new[] { (settings.SiloPort, "MeshFlow:SiloPort"), (settings.GatewayPort, "MeshFlow:GatewayPort") })
        {
            try
            {
                using var socket = new Socket(settings.AdvertisedIP.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(settings.AdvertisedIP, port));
            }
            catch (SocketException ex)
            {
                return $"Cannot start the silo: {settings.AdvertisedIP}:{port} ({key}) is not available ({ex.SocketErrorCode}). "
                    + $"Stop the process that uses it, or choose another port with --{key}=PORT.";
            }
        }

        return null;
    }

    /// <summary>Applies the cluster identity, endpoints and storage of <paramref name="settings"/>.</summary>
    public static void Configure(ISiloBuilder silo, SiloSettings settings)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });

        // Listen on and advertise the same address, so a local cluster never sends traffic off the machine.
        silo.Configure<EndpointOptions>(options =>
        {
            options.AdvertisedIPAddress = settings.AdvertisedIP;
            options.SiloPort = settings.SiloPort;
            options.GatewayPort = settings.GatewayPort;
            options.SiloListeningEndpoint = new IPEndPoint(settings.AdvertisedIP, settings.SiloPort);
            options.GatewayListeningEndpoint = new IPEndPoint(settings.AdvertisedIP, settings.GatewayPort);
        });

        if (settings.ConnectionString is { } connectionString)
        {
            silo.AddMeshFlowPostgresStorage(connectionString);
        }
        else
        {
            // One silo is its own primary: a development cluster never spans processes.
            silo.UseDevelopmentClustering(new IPEndPoint(settings.AdvertisedIP, settings.SiloPort));
            silo.AddMeshFlowMemoryStorage();
        }

        silo.AddMeshFlowGrains();
    }
}
