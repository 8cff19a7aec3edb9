using System.CommandLine;
using System.Text.RegularExpressions;
using MeshFlow.Client;
using MeshFlow.Grains;
using MeshFlow.Grains.Postgres;

namespace MeshFlow.Cli;

/// <summary>
/// The options that every command accepts: <c>--tenant</c>, <c>--gateway</c>, <c>--connection</c>,
/// <c>--cluster-id</c> and <c>--json</c>.
/// </summary>
internal sealed partial class GlobalOptions
{
    public const string TenantVariable = "MESHFLOW_TENANT";
    public const string GatewayVariable = "MESHFLOW_GATEWAY";
    public const string ConnectionVariable = "MESHFLOW_CONNECTION";
    public const string ClusterIdVariable = "MESHFLOW_CLUSTER_ID";
    public const string DefaultTenant = "default";

    private readonly Func<string, string?> readVariable;

    /// <summary>Creates the options, reading environment variables through <paramref name="readVariable"/>.</summary>
    public GlobalOptions(Func<string, string?> readVariable)
    {
        this.readVariable = readVariable;
        Tenant = new Option<string>("--tenant")
        {
            Description =
                $"Tenant id that owns the webhooks, events and alert rules; ${TenantVariable} sets the default",
            HelpName = "id",
            Recursive = true,
            DefaultValueFactory = _ => ReadVariable(TenantVariable) ?? DefaultTenant,
        };
    }

    public Option<string> Tenant { get; }

    // The gateway, connection and cluster options have no default value factory, because the discovery order
    // needs to know which values were given. A default connection string would also show its password in the help.
    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = $"Silo gateway as host:port without a scheme, such as {MeshFlowClientOptions.DefaultGateway}, "
            + $"or several separated by commas [default: ${GatewayVariable}, else the cluster's gateways read from "
            + $"--connection, else {MeshFlowClientOptions.DefaultGateway}]",
        HelpName = "host:port",
        Recursive = true,
    };

    public Option<string> Connection { get; } = new("--connection")
    {
        Description = $"Npgsql connection string of the MeshFlow database, for 'db' commands and to read the "
            + $"cluster's gateways; ${ConnectionVariable} sets the default and keeps the password out of the "
            + "process list",
        HelpName = "connection-string",
        Recursive = true,
    };

    public Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = $"Orleans cluster id of the silos, whose gateways are read from --connection; "
            + $"${ClusterIdVariable} sets the default [default: {MeshFlowClientOptions.DefaultClusterId}]",
        HelpName = "id",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON document with snake_case keys instead of text",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command, from which every subcommand inherits them.</summary>
    public void AddTo(RootCommand root)
    {
        root.Add(Tenant);
        root.Add(Gateway);
        root.Add(Connection);
        root.Add(ClusterId);
        root.Add(Json);
    }

    /// <summary>Reads and validates the tenant id, throwing <see cref="MeshFlowValidationException"/>.</summary>
    public string GetTenant(ParseResult parseResult)
    {
        var tenant = parseResult.GetValue(Tenant);
        Validation.TenantId(tenant);
        return tenant!;
    }

    /// <summary>
    /// Decides where the gateways come from. <c>--gateway</c> or <c>$MESHFLOW_GATEWAY</c> wins when given. Without
    /// them, the gateways are read from the cluster's membership table in the database of <c>--connection</c> or
    /// <c>$MESHFLOW_CONNECTION</c>, and without those too, 127.0.0.1:30000 is used. Throws
    /// <see cref="CliException"/> with the fix for an invalid gateway, connection string or cluster id.
    /// </summary>
    public GatewaySource GetGatewaySource(ParseResult parseResult)
    {
        var clusterId = GetClusterId(parseResult);
        var gatewayText = parseResult.GetValue(Gateway) ?? ReadVariable(GatewayVariable);
        if (gatewayText is not null)
        {
            return new GatewaySource(ParseGateways(gatewayText), ConnectionString: null, clusterId);
        }

        var connectionString = FindConnectionString(parseResult, out var fromVariable);
        if (connectionString is not null)
        {
            ValidateConnectionString(connectionString, fromVariable);
            return new GatewaySource([], connectionString, clusterId);
        }

        return new GatewaySource([MeshFlowClientOptions.DefaultGateway], ConnectionString: null, clusterId);
    }

    /// <summary>
    /// Reads and validates the connection string from <c>--connection</c> or <c>$MESHFLOW_CONNECTION</c>, throwing
    /// <see cref="CliException"/> with exit code 2 when it is missing or invalid. Messages never contain the password.
    /// </summary>
    public string GetConnectionString(ParseResult parseResult)
    {
        var connectionString = FindConnectionString(parseResult, out var fromVariable)
            ?? throw new CliException(
                "Missing PostgreSQL connection string: give --connection "
                + "\"Host=127.0.0.1;Port=5432;Database=meshflow;Username=meshflow;Password=...\" "
                + $"or set {ConnectionVariable}.");
        ValidateConnectionString(connectionString, fromVariable);
        return connectionString;
    }

    public bool GetJson(ParseResult parseResult) => parseResult.GetValue(Json);

    private string GetClusterId(ParseResult parseResult)
    {
        var fromOption = parseResult.GetValue(ClusterId);
        var clusterId = fromOption ?? ReadVariable(ClusterIdVariable) ?? MeshFlowClientOptions.DefaultClusterId;
        if (!ClusterIdPattern().IsMatch(clusterId))
        {
            var source = fromOption is null ? ClusterIdVariable : "--cluster-id";
            throw new CliException(
                $"Invalid cluster id '{clusterId}' in {source}: use 1 to 64 ASCII letters, digits, '.', '_' or '-', "
                + $"starting with a letter or digit, such as {MeshFlowClientOptions.DefaultClusterId}.");
        }

        return clusterId;
    }

    private static List<string> ParseGateways(string value)
    {
        var gateways = new List<string>();
        foreach (var entry in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!GatewayAddress.TryParse(entry, out var address, out var error))
            {
                throw new CliException($"{error} Set --gateway or {GatewayVariable}.");
            }

            gateways.Add(address.ToString());
        }

        return gateways;
    }

    private string? FindConnectionString(ParseResult parseResult, out bool fromVariable)
    {
        var fromOption = parseResult.GetValue(Connection);
        fromVariable = fromOption is null;
        return fromOption ?? ReadVariable(ConnectionVariable);
    }

    private static void ValidateConnectionString(string connectionString, bool fromVariable)
    {
        try
        {
            PostgresConnections.Parse(connectionString);
        }
        catch (PostgresConnectionException exception)
        {
            var origin = fromVariable ? $" The connection string comes from {ConnectionVariable}." : string.Empty;
            throw new CliException(exception.Message + origin, exception);
        }
    }

    private string? ReadVariable(string name) => readVariable(name) is { Length: > 0 } value ? value : null;

    // The rule the silo applies to MeshFlow:ClusterId, so that an id the silo rejects fails here too.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterIdPattern();
}
