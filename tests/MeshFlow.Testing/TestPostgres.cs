using Npgsql;

namespace MeshFlow.Testing;

/// <summary>
/// The PostgreSQL server that <see cref="VariableName"/> names. Tests create their own databases on it, so they
/// never see each other's schema or rows.
/// </summary>
public static class TestPostgres
{
    /// <summary>The environment variable that contains the Npgsql connection string of the test server.</summary>
    public const string VariableName = "MESHFLOW_TEST_POSTGRES";

    /// <summary>
    /// Creates an empty database with a unique name through the server's <c>postgres</c> database. When
    /// <see cref="VariableName"/> is not set, it throws with a message that explains how to point the tests at a
    /// server, so the tests fail instead of being skipped.
    /// </summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var configured = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                $"{VariableName} is not set. The database tests need a PostgreSQL 15 or later server: set "
                + $"{VariableName} to the Npgsql connection string of a user that may create databases, such as "
                + "'Host=127.0.0.1;Port=5432;Username=postgres;Database=meshflow_test', or run scripts/test.sh, "
                + "which starts a throwaway server.");
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
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException(
                $"Cannot create a test database on the PostgreSQL server that {VariableName} names "
                + $"({server.Host}:{server.Port}): {exception.Message}",
                exception);
        }

        var database = new NpgsqlConnectionStringBuilder(configured) { Database = name };
        return new TestDatabase(name, database.ConnectionString, server.ConnectionString);
    }
}
