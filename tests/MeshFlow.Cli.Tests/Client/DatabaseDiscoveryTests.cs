using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using Microsoft.Extensions.Options;

namespace MeshFlow.Cli.Tests.Client;

/// <summary>
/// <see cref="MeshFlowClientHost"/> with <see cref="MeshFlowClientOptions.ConnectionString"/>, which reads the
/// gateways from the cluster's membership table.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class DatabaseDiscoveryTests(PostgresCluster cluster)
{
    private const string Password = "pw-0b77d2-never-printed";

    [Fact]
    public async Task ConnectAsync_ConnectionString_UsesListedGateway()
    {
        var options = new MeshFlowClientOptions
        {
            ConnectionString = cluster.ConnectionString,
            ClusterId = PostgresCluster.ClusterId,
        };

        await using var client = await MeshFlowClientHost.ConnectAsync(options);
        var webhooks = await client.Webhooks.ListAsync($"t-{Guid.NewGuid():N}");

        Assert.Equal([cluster.Gateway], client.Gateways);
        Assert.Empty(webhooks);
    }

    [Fact]
    public async Task ConnectAsync_UnknownCluster_NamesClusterAndDatabase()
    {
        var options = new MeshFlowClientOptions
        {
            ConnectionString = cluster.ConnectionString,
            ClusterId = "client-no-silos",
        };

        var exception = await Assert.ThrowsAsync<MeshFlowConnectionException>(
            () => MeshFlowClientHost.ConnectAsync(options));

        Assert.Contains("cluster 'client-no-silos'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(cluster.Database.Description, exception.Message, StringComparison.Ordinal);
        Assert.Empty(exception.Gateways);
    }

    [Fact]
    public async Task ConnectAsync_GatewaysAndConnectionString_UsesGateways()
    {
        var gateway = $"127.0.0.1:{FreePort.Next()}";
        var options = new MeshFlowClientOptions
        {
            Gateways = [gateway],
            ConnectionString = cluster.ConnectionString,
            ClusterId = PostgresCluster.ClusterId,
        };

        var exception = await Assert.ThrowsAsync<MeshFlowConnectionException>(
            () => MeshFlowClientHost.ConnectAsync(options));

        Assert.StartsWith(
            $"Cannot reach the MeshFlow gateway at {gateway} within",
            exception.Message,
            StringComparison.Ordinal);
        Assert.Equal([gateway], exception.Gateways);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Host=127.0.0.1;Port=5432;Passwort=" + Password)]
    [InlineData("Host=127.0.0.1;Password=pw-0b7;7d2-never-printed")]
    [InlineData("Port=5432;Password=" + Password)]
    public async Task ConnectAsync_InvalidConnectionString_FailsValidation(string connectionString)
    {
        var options = new MeshFlowClientOptions { ConnectionString = connectionString };

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => MeshFlowClientHost.ConnectAsync(options));

        var failure = Assert.Single(exception.Failures);
        Assert.StartsWith("MeshFlowClientOptions.ConnectionString is invalid: ", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("Passwort", failure, StringComparison.Ordinal);
    }
}
