using System.CommandLine;
using MeshFlow.Client;
using MeshFlow.Grains;

namespace MeshFlow.Cli;

/// <summary>
/// The options that every command accepts: <c>--tenant</c>, <c>--gateway</c> and <c>--json</c>.
/// </summary>
internal sealed class GlobalOptions
{
    public const string TenantVariable = "MESHFLOW_TENANT";
    public const string GatewayVariable = "MESHFLOW_GATEWAY";
    public const string DefaultTenant = "default";

    public Option<string> Tenant { get; } = new("--tenant")
    {
        Description = $"Tenant id that owns the webhooks and events; ${TenantVariable} sets the default",
        HelpName = "id",
        Recursive = true,
        DefaultValueFactory = _ => ReadVariable(TenantVariable) ?? DefaultTenant,
    };

    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = $"MeshFlow gateway as host:port, or several separated by commas; ${GatewayVariable} sets the default",
        HelpName = "host:port",
        Recursive = true,
        DefaultValueFactory = _ => ReadVariable(GatewayVariable) ?? MeshFlowClientOptions.DefaultGateway,
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
    /// Reads and validates the gateway list, throwing <see cref="CliException"/> with the fix on an invalid entry.
    /// </summary>
    public IReadOnlyList<string> GetGateways(ParseResult parseResult)
    {
        var value = parseResult.GetValue(Gateway) ?? string.Empty;
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

    public bool GetJson(ParseResult parseResult) => parseResult.GetValue(Json);

    private static string? ReadVariable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
