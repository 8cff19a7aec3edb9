namespace MeshFlow.Client;

/// <summary>
/// Settings for connecting to a MeshFlow cluster through its gateways.
/// </summary>
/// <remarks>
/// The client uses the addresses in <see cref="Gateways"/> when there are any. Without them, it reads the live
/// gateways of <see cref="ClusterId"/> from the membership table of the PostgreSQL database that
/// <see cref="ConnectionString"/> names, and without a connection string, it uses <see cref="DefaultGateway"/>.
/// </remarks>
public sealed class MeshFlowClientOptions
{
    /// <summary>The gateway address of a silo started with its default settings.</summary>
    public const string DefaultGateway = "127.0.0.1:30000";

    /// <summary>The cluster id of a silo started with its default settings.</summary>
    public const string DefaultClusterId = "meshflow-dev";

    /// <summary>The service id of a silo started with its default settings.</summary>
    public const string DefaultServiceId = "meshflow";

    /// <summary>The largest accepted <see cref="ConnectTimeout"/>.</summary>
    public static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gateway addresses as <c>host:port</c> strings: an IPv4 address, an IPv6 address in brackets such as
    /// <c>[::1]:30000</c>, or a host name, which is resolved when the client starts. When the list has entries, the
    /// client uses them and ignores <see cref="ConnectionString"/>.
    /// </summary>
    /// <value>
    /// The default value is an empty list, which means the gateways of <see cref="ClusterId"/> in the database when
    /// <see cref="ConnectionString"/> is set, and <c>127.0.0.1:30000</c> otherwise.
    /// </value>
    public IList<string> Gateways { get; set; } = [];

    /// <summary>
    /// An Npgsql connection string of the PostgreSQL database whose membership table the silos of
    /// <see cref="ClusterId"/> write, such as <c>Host=db;Database=meshflow;Username=meshflow;Password=...</c>. When it
    /// is set and <see cref="Gateways"/> is empty, the client reads the live gateways from that table with the Orleans
    /// ADO.NET clustering provider, and refreshes them while it runs.
    /// </summary>
    /// <value>The default value is null, which means static gateways.</value>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The Orleans cluster id, which must match the silos' <c>ClusterOptions.ClusterId</c>. With
    /// <see cref="ConnectionString"/> it also selects which cluster's gateways are read.
    /// </summary>
    /// <value>The default value is <c>meshflow-dev</c>.</value>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>The Orleans service id, which must match the silos' <c>ClusterOptions.ServiceId</c>.</summary>
    /// <value>The default value is <c>meshflow</c>.</value>
    public string ServiceId { get; set; } = DefaultServiceId;

    /// <summary>
    /// The deadline for <see cref="MeshFlowClientHost.ConnectAsync(MeshFlowClientOptions, CancellationToken)"/> to
    /// reach a gateway, including reading the gateway list from the database. When it passes, the connection fails
    /// with <see cref="MeshFlowConnectionException"/>. It must be greater than zero and at most
    /// <see cref="MaxConnectTimeout"/>.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the gateways come from the database: <see cref="Gateways"/> is empty and a connection string is set.
    /// </summary>
    internal bool ReadsGatewaysFromDatabase => Gateways is not { Count: > 0 } && ConnectionString is not null;

    /// <summary>The static gateways to use when the gateways do not come from the database.</summary>
    internal IReadOnlyList<string> StaticGateways => Gateways is { Count: > 0 } ? [.. Gateways] : [DefaultGateway];
}
