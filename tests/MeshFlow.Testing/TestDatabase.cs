using Npgsql;

namespace MeshFlow.Testing;

/// <summary>A database made by <see cref="TestPostgres.CreateDatabaseAsync"/>, dropped on dispose.</summary>
public sealed class TestDatabase(string name, string connectionString, string serverConnectionString)
    : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>The connection string of this database, as the silo and the CLI's <c>--connection</c> take it.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>The host, port and name as the CLI's messages show them: <c>host:port/name</c>.</summary>
    public string Description
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"{builder.Host}:{builder.Port}/{Name}";
        }
    }

    /// <summary>Runs one SQL statement on this database, for tests that set up rows directly.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query that returns one value, for checks that read the tables directly.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections would keep the database in use, and fail on their next use once it is dropped.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
