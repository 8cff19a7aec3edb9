using MeshFlow.Client;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// The order in which commands pick their gateways: <c>--gateway</c> or <c>MESHFLOW_GATEWAY</c>, then the database
/// of <c>--connection</c> or <c>MESHFLOW_CONNECTION</c>, then 127.0.0.1:30000.
/// </summary>
public sealed class GatewaySourceTests
{
    private const string Flag = "Host=flag.example;Database=meshflow";
    private const string Variable = "Host=variable.example;Database=meshflow";

    [Fact]
    public void Source_NothingGiven_UsesDefaultGateway()
    {
        var source = Resolve([], []);

        Assert.Equal([MeshFlowClientOptions.DefaultGateway], source.Gateways);
        Assert.Null(source.ConnectionString);
        Assert.Equal(MeshFlowClientOptions.DefaultClusterId, source.ClusterId);
    }

    [Fact]
    public void Source_ConnectionFlag_ReadsDatabase()
    {
        var source = Resolve(["--connection", Flag, "--cluster-id", "blue"], []);

        Assert.Empty(source.Gateways);
        Assert.Equal(Flag, source.ConnectionString);
        Assert.Equal("blue", source.ClusterId);
    }

    [Fact]
    public void Source_ConnectionVariables_ReadsDatabase()
    {
        var source = Resolve(
            [],
            new() { ["MESHFLOW_CONNECTION"] = Variable, ["MESHFLOW_CLUSTER_ID"] = "green" });

        Assert.Equal(Variable, source.ConnectionString);
        Assert.Equal("green", source.ClusterId);
    }

    [Fact]
    public void Source_FlagsBeatVariables()
    {
        var source = Resolve(
            ["--connection", Flag, "--cluster-id", "blue"],
            new() { ["MESHFLOW_CONNECTION"] = Variable, ["MESHFLOW_CLUSTER_ID"] = "green" });

        Assert.Equal(Flag, source.ConnectionString);
        Assert.Equal("blue", source.ClusterId);
    }

    [Fact]
    public void Source_GatewayFlag_BeatsConnection()
    {
        var source = Resolve(["--gateway", "10.1.2.3:30000", "--connection", Flag, "--cluster-id", "blue"], []);

        Assert.Equal(["10.1.2.3:30000"], source.Gateways);
        Assert.Null(source.ConnectionString);
        Assert.Equal("blue", source.ClusterId);
    }

    [Fact]
    public void Source_GatewayVariable_BeatsConnectionFlag()
    {
        var source = Resolve(["--connection", Flag], new() { ["MESHFLOW_GATEWAY"] = "10.1.2.3:30000,10.1.2.4:30000" });

        Assert.Equal(["10.1.2.3:30000", "10.1.2.4:30000"], source.Gateways);
        Assert.Null(source.ConnectionString);
    }

    [Fact]
    public void Source_EmptyVariables_AreIgnored()
    {
        var source = Resolve(
            [],
            new() { ["MESHFLOW_GATEWAY"] = "", ["MESHFLOW_CONNECTION"] = "", ["MESHFLOW_CLUSTER_ID"] = "" });

        Assert.Equal([MeshFlowClientOptions.DefaultGateway], source.Gateways);
        Assert.Null(source.ConnectionString);
        Assert.Equal(MeshFlowClientOptions.DefaultClusterId, source.ClusterId);
    }

    [Fact]
    public void Source_InvalidClusterIdVariable_NamesVariable()
    {
        var exception = Assert.Throws<CliException>(() => Resolve([], new() { ["MESHFLOW_CLUSTER_ID"] = "a b" }));

        Assert.Equal(2, exception.ExitCode);
        Assert.StartsWith(
            "Invalid cluster id 'a b' in MESHFLOW_CLUSTER_ID",
            exception.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Source_ToString_HidesConnectionString()
    {
        var source = Resolve(["--connection", "Host=db;Password=pw-5e0c-never-printed"], []);

        Assert.DoesNotContain("never-printed", source.ToString(), StringComparison.Ordinal);
    }

    private static GatewaySource Resolve(string[] options, Dictionary<string, string> variables)
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, name => variables.GetValueOrDefault(name));
        var parseResult = CliApp.Parse(CliApp.CreateRootCommand(context), ["webhooks", "list", .. options]);
        Assert.Empty(parseResult.Errors);
        return context.Global.GetGatewaySource(parseResult);
    }
}
