using System.Diagnostics;
using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;

namespace MeshFlow.Cli.Tests.Database;

/// <summary>
/// Commands without <c>--gateway</c> that read the gateways of a cluster from its membership table in PostgreSQL.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class GatewayDiscoveryTests(PostgresCluster cluster)
{
    private const string Secret = "hmac-secret-5d02ab";
    private const string Url = "https://example.com/discovered-events";
    private const string Password = "pw-3f8a61-never-printed";

    private readonly string tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task AddThenList_DiscoveredGateway_ShowsWebhook()
    {
        var added = await CliRunner.RunAsync(
            "webhooks", "add", Url, "--secret", Secret, "--events", "policy_violation", "--tenant", tenant,
            "--connection", cluster.ConnectionString, "--cluster-id", PostgresCluster.ClusterId, "--json");
        var listed = await CliRunner.RunAsync(
            "webhooks", "list", "--tenant", tenant,
            "--connection", cluster.ConnectionString, "--cluster-id", PostgresCluster.ClusterId, "--json");

        Assert.Equal(string.Empty, added.Stderr);
        Assert.Equal(0, added.ExitCode);
        var webhookId = JsonDocument.Parse(added.Stdout).RootElement.GetProperty("id").GetString();
        Assert.Equal(string.Empty, listed.Stderr);
        Assert.Equal(0, listed.ExitCode);
        var webhook = Assert.Single(JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray());
        Assert.Equal(webhookId, webhook.GetProperty("id").GetString());
        Assert.Equal(Url, webhook.GetProperty("url").GetString());
    }

    [Fact]
    public async Task List_SettingsFromVariables_ConnectsToCluster()
    {
        var variables = new Dictionary<string, string>
        {
            ["MESHFLOW_CONNECTION"] = cluster.ConnectionString,
            ["MESHFLOW_CLUSTER_ID"] = PostgresCluster.ClusterId,
            ["MESHFLOW_TENANT"] = tenant,
        };

        var result = await CliRunner.RunAsync(["webhooks", "list"], variables);

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"No webhooks for tenant '{tenant}'.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ClusterWithoutSilos_FailsBeforeDeadline()
    {
        var stopwatch = Stopwatch.StartNew();

        var result = await CliRunner.RunAsync(
            "webhooks", "list", "--connection", cluster.ConnectionString, "--cluster-id", "cli-no-silos");

        stopwatch.Stop();
        CliAssert.OneLineError(
            result,
            1,
            "No live gateway of MeshFlow cluster 'cli-no-silos' is listed in PostgreSQL at "
            + cluster.Database.Description);
        Assert.Contains("--gateway overrides them.", result.Stderr, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"Took {stopwatch.Elapsed}, past the 10 s deadline.");
    }

    [Fact]
    public async Task List_ListedGatewayDown_NamesGatewayAndCluster()
    {
        // A silo that was killed keeps its row as active until other silos vote it dead, so clients can read a
        // gateway that no longer listens.
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        await cluster.Database.ExecuteAsync(
            "INSERT INTO meshflow_membership_version (deployment_id, version) VALUES ('cli-stale', 1)");
        await cluster.Database.ExecuteAsync(
            "INSERT INTO meshflow_membership (deployment_id, address, port, generation, silo_name, host_name, "
            + "status, proxy_port, start_time, i_am_alive_time) "
            + $"VALUES ('cli-stale', '127.0.0.1', {siloPort}, 1, 'killed', 'localhost', 3, {gatewayPort}, "
            + "now(), now())");

        var result = await CliRunner.RunAsync(
            "webhooks", "list", "--connection", cluster.ConnectionString, "--cluster-id", "cli-stale");

        CliAssert.OneLineError(
            result,
            1,
            $"Cannot reach the MeshFlow gateway at 127.0.0.1:{gatewayPort} of cluster 'cli-stale', listed in "
            + $"PostgreSQL at {cluster.Database.Description}, within 10 s");
    }

    [Fact]
    public async Task List_DefaultClusterId_ReadsMeshflowDev()
    {
        var result = await CliRunner.RunAsync("webhooks", "list", "--connection", cluster.ConnectionString);

        CliAssert.OneLineError(result, 1, "No live gateway of MeshFlow cluster 'meshflow-dev' is listed");
    }

    [Fact]
    public async Task List_GatewayAndConnection_GatewayWins()
    {
        var gateway = $"127.0.0.1:{FreePort.Next()}";

        var result = await CliRunner.RunAsync(
            "webhooks", "list", "--gateway", gateway,
            "--connection", cluster.ConnectionString, "--cluster-id", PostgresCluster.ClusterId);

        CliAssert.OneLineError(result, 1, $"Cannot reach the MeshFlow gateway at {gateway} within 10 s");
        Assert.Contains("Set --gateway or MESHFLOW_GATEWAY.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ClosedDatabasePort_NamesClusterAndHost()
    {
        var port = FreePort.Next();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=meshflow;Password={Password};Database=meshflow";

        var result = await CliRunner.RunAsync(
            "webhooks", "list", "--connection", connectionString, "--cluster-id", "cli-closed");

        CliAssert.OneLineError(
            result,
            1,
            $"Cannot read the gateways of MeshFlow cluster 'cli-closed' from PostgreSQL at 127.0.0.1:{port}/meshflow: "
            + "connection refused");
        Assert.DoesNotContain(Password, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_SilentDatabase_FailsAtDeadline()
    {
        using var listener = new SilentListener();
        var connectionString = $"Host=127.0.0.1;Port={listener.Port};Username=meshflow;Password={Password};Database=x";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, _ => null) { ConnectTimeout = TimeSpan.FromSeconds(1) };
        var stopwatch = Stopwatch.StartNew();

        var exitCode = await CliApp.RunAsync(
            ["webhooks", "list", "--connection", connectionString, "--cluster-id", "cli-silent"],
            context,
            CancellationToken.None);

        stopwatch.Stop();
        var result = new CliResult(exitCode, stdout.ToString(), stderr.ToString());
        CliAssert.OneLineError(
            result,
            1,
            $"Cannot read the gateways of MeshFlow cluster 'cli-silent' from PostgreSQL at 127.0.0.1:{listener.Port}/x "
            + "within 1 s: the database did not answer.");
        Assert.DoesNotContain(Password, result.Stderr, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task List_UnmigratedDatabase_SuggestsMigrate()
    {
        await using var empty = await TestPostgres.CreateDatabaseAsync();

        var result = await CliRunner.RunAsync("webhooks", "list", "--connection", empty.ConnectionString);

        CliAssert.OneLineError(result, 1, $"from PostgreSQL at {empty.Description}: relation");
        Assert.Contains("meshflow db migrate", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad id")]
    [InlineData("-leading-dash")]
    [InlineData("")]
    public async Task List_InvalidClusterId_ExitsWithUsage(string clusterId)
    {
        var result = await CliRunner.RunAsync(
            "webhooks", "list", "--connection", cluster.ConnectionString, "--cluster-id", clusterId);

        CliAssert.OneLineError(result, 2, $"Invalid cluster id '{clusterId}' in --cluster-id");
    }

    [Fact]
    public async Task List_InvalidConnectionString_ExitsWithUsage()
    {
        var result = await CliRunner.RunAsync(
            "webhooks", "list", "--connection", $"Host=127.0.0.1;Port=x;Password={Password}");

        CliAssert.OneLineError(result, 2, "Invalid PostgreSQL connection string: the value of 'Port' is not valid");
        Assert.DoesNotContain(Password, result.Stderr, StringComparison.Ordinal);
    }
}
