using MeshFlow.Client;
using MeshFlow.Grains.Hosting;
using MeshFlow.Grains.Postgres;
using Orleans.TestingHost;

namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// A one-silo Orleans test cluster in this process whose silo keeps membership, grain state and reminders in a
/// migrated database of its own, as the silo's Postgres mode does. Clients find its gateway only through the
/// membership table of cluster <see cref="ClusterId"/>, over TCP on 127.0.0.1.
/// </summary>
/// <remarks>
/// Like <see cref="MeshFlowCluster"/>, this uses <see cref="TestClusterBuilder"/> with the TCP transport, and turns
/// off the test cluster's own membership so that the silo registers in PostgreSQL through ADO.NET clustering.
/// </remarks>
public sealed class PostgresCluster : IAsyncLifetime
{
    /// <summary>The cluster id that the silo registers under.</summary>
    public const string ClusterId = "cli-discovery";

    private const string ConnectionStringKey = "MeshFlowTest:ConnectionString";

    private TestDatabase? database;
    private TestCluster? cluster;

    public TestDatabase Database => database ?? throw new InvalidOperationException("The cluster is not started.");

    /// <summary>The connection string to pass to <c>--connection</c>.</summary>
    public string ConnectionString => Database.ConnectionString;

    /// <summary>The gateway address that the silo writes to the membership table.</summary>
    public string Gateway { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        var builder = new TestClusterBuilder(1);
        builder.Options.ClusterId = ClusterId;
        builder.Options.ServiceId = MeshFlowClientOptions.DefaultServiceId;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.UseTestClusterMembership = false;

        // The test cluster's own client would need clustering of its own, and the tests connect like the CLI does.
        builder.Options.InitializeClientOnDeploy = false;
        builder.Properties[ConnectionStringKey] = database.ConnectionString;
        builder.AddSiloBuilderConfigurator<PostgresSiloConfigurator>();

        cluster = builder.Build();
        await cluster.DeployAsync();
        // Primary is null without the test cluster's own membership, so the one silo is taken from the list.
        var silo = Assert.Single(cluster.Silos);
        Gateway = silo.GatewayAddress.Endpoint.ToString();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    private sealed class PostgresSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"The test cluster has no {ConnectionStringKey} property.");
            siloBuilder.AddMeshFlowPostgresStorage(connectionString);
            siloBuilder.AddMeshFlowGrains();
        }
    }
}
