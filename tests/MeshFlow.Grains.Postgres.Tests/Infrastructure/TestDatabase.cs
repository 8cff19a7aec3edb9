using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>A database made by <see cref="TestPostgres.CreateDatabaseAsync"/>, dropped on dispose.</summary>
public sealed class TestDatabase(string name, string connectionString, string serverConnectionString)
    : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

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
        // Pooled connections to the dropped database would fail on their next use.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
