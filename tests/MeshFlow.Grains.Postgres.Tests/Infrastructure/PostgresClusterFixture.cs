namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>A migrated database of its own and a one-silo <see cref="PostgresCluster"/> on it, per test class.</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private PostgresCluster? _cluster;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialized.");

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(_database.ConnectionString, CancellationToken.None);
        _cluster = await PostgresCluster.StartAsync(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
