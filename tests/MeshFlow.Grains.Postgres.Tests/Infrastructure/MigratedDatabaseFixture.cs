namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>A fresh database with every migration applied, shared by the tests of one class.</summary>
public sealed class MigratedDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialized.");

    public string ConnectionString => Database.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(_database.ConnectionString, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
