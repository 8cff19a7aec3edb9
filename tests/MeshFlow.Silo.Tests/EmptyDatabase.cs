using Npgsql;

namespace MeshFlow.Silo.Tests;

/// <summary>
/// A fresh, empty database on the test PostgreSQL server named by MESHFLOW_TEST_POSTGRES, dropped on dispose.
/// </summary>
public sealed class EmptyDatabase : IAsyncDisposable
{
    public const string ServerVariable = "MESHFLOW_TEST_POSTGRES";

    private readonly string _serverConnectionString;
    private readonly string _name;

    private EmptyDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<EmptyDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{ServerVariable} is not set: run the tests with 'bash scripts/test.sh', which starts PostgreSQL, "
                + "or set it to an Npgsql connection string of a server where this user may create databases.");
        }

        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres" };
        var name = "silo_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var target = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new EmptyDatabase(admin.ConnectionString, name, target.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
