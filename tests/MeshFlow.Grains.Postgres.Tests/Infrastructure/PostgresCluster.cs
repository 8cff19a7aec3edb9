using System.Net;
using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>
/// One silo running the MeshFlow grains with membership, grain state and reminders in PostgreSQL, and a client
/// that finds the silo's gateway in PostgreSQL too. Both run in the test process on 127.0.0.1.
/// </summary>
/// <remarks>
/// Orleans' InProcessTestCluster replaces the configured membership table with an in-memory one, so it cannot
/// show that clustering works on PostgreSQL; plain generic hosts can.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly IHost _silo;
    private readonly IHost _client;

    private PostgresCluster(IHost silo, IHost client, string clusterId)
    {
        _silo = silo;
        _client = client;
        ClusterId = clusterId;
    }

    public string ClusterId { get; }

    public IClusterClient Client => _client.Services.GetRequiredService<IClusterClient>();

    /// <summary>The silo's services, from which tests resolve the configured Orleans providers.</summary>
    public IServiceProvider SiloServices => _silo.Services;

    /// <summary>
    /// Starts a silo and a client on <paramref name="connectionString"/>. Pass the service id of an earlier
    /// cluster to read the state it stored.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(string connectionString, string? serviceId = null)
    {
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N");
        serviceId ??= "service-" + Guid.NewGuid().ToString("N");

        var silo = await StartSiloAsync(connectionString, clusterId, serviceId);
        try
        {
            var client = await StartClientAsync(connectionString, clusterId, serviceId);
            return new PostgresCluster(silo, client, clusterId);
        }
        catch
        {
            await StopAsync(silo);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_client);
        await StopAsync(_silo);
    }

    private static async Task<IHost> StartSiloAsync(string connectionString, string clusterId, string serviceId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            silo.Configure<EndpointOptions>(options =>
            {
                options.AdvertisedIPAddress = IPAddress.Loopback;
                options.SiloPort = siloPort;
                options.GatewayPort = gatewayPort;
                options.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, siloPort);
                options.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, gatewayPort);
            });
            silo.AddMeshFlowPostgresStorage(connectionString);
            silo.AddMeshFlowGrains();
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    private static async Task<IHost> StartClientAsync(string connectionString, string clusterId, string serviceId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            client.UseMeshFlowPostgresClustering(connectionString);
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    private static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }
}
