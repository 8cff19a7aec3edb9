using MeshFlow.Client;

namespace MeshFlow.Cli;

/// <summary>
/// Where a command finds the MeshFlow gateways: a list of addresses, or the live gateways of a cluster in the
/// membership table of a PostgreSQL database.
/// </summary>
/// <param name="Gateways">The <c>host:port</c> addresses, or empty when the gateways come from the database.</param>
/// <param name="ConnectionString">The Npgsql connection string to read the gateways from, or null.</param>
/// <param name="ClusterId">The Orleans cluster id of the silos.</param>
internal sealed record GatewaySource(IReadOnlyList<string> Gateways, string? ConnectionString, string ClusterId)
{
    /// <summary>Whether the gateways are read from the database.</summary>
    public bool ReadsDatabase => ConnectionString is not null;

    /// <summary>The sentence appended to a connection failure that names the settings it came from.</summary>
    public string Fix => ReadsDatabase
        ? $"The gateways come from --connection and --cluster-id (or {GlobalOptions.ConnectionVariable} and "
            + $"{GlobalOptions.ClusterIdVariable}); --gateway overrides them."
        : $"Set --gateway or {GlobalOptions.GatewayVariable}.";

    /// <summary>Creates the client options for this source.</summary>
    public MeshFlowClientOptions ToClientOptions(TimeSpan connectTimeout) => new()
    {
        Gateways = [.. Gateways],
        ConnectionString = ConnectionString,
        ClusterId = ClusterId,
        ConnectTimeout = connectTimeout,
    };

    /// <summary>Hides the connection string, which may contain a password.</summary>
    public override string ToString() =>
        ReadsDatabase
            ? $"GatewaySource {{ ClusterId = {ClusterId}, from the database }}"
            : $"GatewaySource {{ ClusterId = {ClusterId}, Gateways = {string.Join(",", Gateways)} }}";
}
