using System.Net;
using System.Net.Sockets;
using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests;

public sealed class ConnectionErrorTests
{
    private const string Password = "pw-Zq81-never-print";

    [Fact]
    public async Task MigrateAsync_UnknownKeyword_NamesKeyword()
    {
        var connectionString = $"Hots=127.0.0.1;Username=meshflow;Password={Password}";

        var error = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => SchemaMigrator.MigrateAsync(connectionString, CancellationToken.None));

        Assert.Contains("unknown keyword 'Hots'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Host", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_InvalidPort_NamesKeyword()
    {
        var connectionString = $"Host=127.0.0.1;Port=fifty;Password={Password}";

        var error = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => SchemaMigrator.MigrateAsync(connectionString, CancellationToken.None));

        Assert.Contains("value of 'Port'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_SemicolonInPassword_HidesPassword()
    {
        var connectionString = "Host=127.0.0.1;Password=first-half;secret-half=x";

        var error = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => SchemaMigrator.MigrateAsync(connectionString, CancellationToken.None));

        Assert.Contains("double quotes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-half", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("first-half", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_MissingHost_NamesHost()
    {
        var error = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => SchemaMigrator.MigrateAsync($"Database=meshflow;Password={Password}", CancellationToken.None));

        Assert.Contains("Host is missing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_UnreachablePort_NamesEndpointAndTimeout()
    {
        var port = FindClosedPort();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=meshflow;Password={Password}";

        var error = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => SchemaMigrator.MigrateAsync(connectionString, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after", error.Message, StringComparison.Ordinal);
        Assert.Contains($"connect timeout {PostgresConnections.DefaultTimeoutSeconds} s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatusAsync_UnreachablePort_NamesEndpoint()
    {
        var port = FindClosedPort();
        var connectionString = $"Host=127.0.0.1;Port={port};Timeout=2;Password={Password}";

        var error = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => SchemaMigrator.GetStatusAsync(connectionString, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("connect timeout 2 s", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatusAsync_MissingDatabase_NamesDatabase()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var missing = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "meshflow_no_such_db" };

        var error = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => SchemaMigrator.GetStatusAsync(missing.ConnectionString, CancellationToken.None));

        Assert.Contains("'meshflow_no_such_db' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMeshFlowPostgresStorage_UnknownKeyword_Throws()
    {
        var host = Host.CreateApplicationBuilder();

        var error = Assert.Throws<PostgresConnectionException>(
            () => host.UseOrleans(silo => silo.AddMeshFlowPostgresStorage($"Hots=127.0.0.1;Password={Password}")));

        Assert.Contains("unknown keyword 'Hots'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Returns a loopback port that was free a moment ago, so nothing listens on it.</summary>
    private static int FindClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
