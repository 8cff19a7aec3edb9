using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server named by <see cref="VariableName"/>. Every test class or test gets a fresh database
/// on it, so tests never see each other's rows.
/// </summary>
public static class TestPostgres
{
    public const string VariableName = "MESHFLOW_TEST_POSTGRES";

    /// <summary>Creates an empty database, or fails with a message that names the variable to set.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var configured = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                $"{VariableName} is not set. These tests need a PostgreSQL 15 or later server: set {VariableName} "
                + "to an Npgsql connection string of a user that may create databases, such as "
                + "'Host=127.0.0.1;Port=5432;Username=postgres;Database=meshflow_test'.");
        }

        var server = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Timeout = 5 };
        var name = "meshflow_test_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"Cannot create a test database on the PostgreSQL server named by {VariableName} "
                + $"({server.Host}:{server.Port}): {ex.Message}",
                ex);
        }

        var database = new NpgsqlConnectionStringBuilder(configured) { Database = name };
        return new TestDatabase(name, database.ConnectionString, server.ConnectionString);
    }

    /// <summary>Creates a database like <see cref="CreateDatabaseAsync"/> and applies every migration.</summary>
    public static async Task<TestDatabase> CreateMigratedDatabaseAsync()
    {
        var database = await CreateDatabaseAsync();
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
