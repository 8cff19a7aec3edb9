using MeshFlow.Client;
using MeshFlow.Grains;
using MeshFlow.Grains.Hosting;
using Orleans.TestingHost;

namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// An Orleans test cluster in this process, running the MeshFlow grains on memory storage and in-memory
/// reminders. The CLI reaches it over TCP on 127.0.0.1 with its default cluster and service ids, as it would reach
/// a real silo.
/// </summary>
/// <remarks>
/// This uses <see cref="TestClusterBuilder"/> with the TCP transport. <c>InProcessTestClusterBuilder</c> in
/// Orleans 10.4.2 always connects silos and its client with an in-memory transport, so a separate client such as
/// the CLI cannot reach its gateway.
/// </remarks>
public sealed class MeshFlowCluster : IAsyncLifetime
{
    private TestCluster? cluster;

    /// <summary>The gateway address to pass to <c>--gateway</c>.</summary>
    public string Gateway { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ClusterId = MeshFlowClientOptions.DefaultClusterId;
        builder.Options.ServiceId = MeshFlowClientOptions.DefaultServiceId;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.AddSiloBuilderConfigurator<MeshFlowSiloConfigurator>();

        cluster = builder.Build();
        await cluster.DeployAsync();
        var primary = cluster.Primary ?? throw new InvalidOperationException("The test cluster started no silo.");
        Gateway = primary.GatewayAddress.Endpoint.ToString();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    private sealed class MeshFlowSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(StorageNames.Store);
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.AddMeshFlowGrains();
        }
    }
}
