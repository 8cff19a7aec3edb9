namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>Creates test databases that already have the MeshFlow schema.</summary>
public static class MigratedDatabase
{
    /// <summary>
    /// Creates a database with <see cref="TestPostgres.CreateDatabaseAsync"/> and applies every migration. The
    /// database is dropped again when a migration fails.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        return database;
    }
}
