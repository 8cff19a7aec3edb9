using MeshFlow.Grains.Postgres;
using Npgsql;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>
/// A fresh database with the MeshFlow schema on the PostgreSQL server named by <see cref="VariableName"/>, dropped
/// on dispose. It also reads the membership and reminder tables that the silos write.
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    /// <summary>The environment variable that contains the Npgsql connection string of the test server.</summary>
    public const string VariableName = "MESHFLOW_TEST_POSTGRES";

    /// <summary>The membership status Orleans stores for an active silo (<c>SiloStatus.Active</c>).</summary>
    public const int ActiveStatus = 3;

    /// <summary>The membership status Orleans stores for a silo declared dead (<c>SiloStatus.Dead</c>).</summary>
    public const int DeadStatus = 6;

    private readonly string _name;
    private readonly string _serverConnectionString;

    private ClusterDatabase(string name, string connectionString, string serverConnectionString)
    {
        _name = name;
        ConnectionString = connectionString;
        _serverConnectionString = serverConnectionString;
    }

    /// <summary>The connection string of the new database.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Creates a database from the server's <c>postgres</c> database and migrates it with
    /// <see cref="SchemaMigrator.MigrateAsync"/>. Fails, and never skips, when <see cref="VariableName"/> is unset.
    /// </summary>
    public static async Task<ClusterDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var configured = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                $"{VariableName} is not set. This test needs a PostgreSQL 15 or later server: run scripts/test.sh, "
                + $"which starts one, or set {VariableName} to an Npgsql connection string of a user that may create "
                + "databases, such as 'Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres'.");
        }

        var server = new NpgsqlConnectionStringBuilder(configured) { Database = "postgres", Timeout = 5 };
        var name = "meshflow_cluster_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"Cannot create a database on the PostgreSQL server named by {VariableName} "
                + $"({server.Host}:{server.Port}): {ex.Message}",
                ex);
        }

        var database = new ClusterDatabase(
            name,
            new NpgsqlConnectionStringBuilder(configured) { Database = name }.ConnectionString,
            server.ConnectionString);
        try
        {
            await SchemaMigrator.MigrateAsync(database.ConnectionString, cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Counts the membership rows of <paramref name="clusterId"/> for the silo on <paramref name="siloPort"/> that
    /// have <paramref name="status"/>. Each incarnation of a silo has its own row.
    /// </summary>
    public async Task<long> CountSiloRowsAsync(
        string clusterId,
        int siloPort,
        int status,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM meshflow_membership WHERE deployment_id = $1 AND port = $2 AND status = $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = siloPort });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = status });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Returns the grain id of every reminder row, such as <c>delivery/delivery/dlv_...</c>.</summary>
    public async Task<IReadOnlyList<string>> ReadReminderGrainIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT grain_id FROM meshflow_reminder", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var grainIds = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            grainIds.Add(reader.GetString(0));
        }

        return grainIds;
    }

    /// <summary>Drops the database, closing the silos' connections to it if any remain.</summary>
    public async ValueTask DisposeAsync()
    {
        // Pooled connections to the dropped database would fail on their next use.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
