namespace MeshFlow.Client;

/// <summary>
/// Settings for connecting to a MeshFlow cluster through its gateways.
/// </summary>
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
    /// <c>[::1]:30000</c>, or a host name, which is resolved when the client starts.
    /// </summary>
    /// <value>The default value is a single entry, <c>127.0.0.1:30000</c>.</value>
    public IList<string> Gateways { get; set; } = [DefaultGateway];

    /// <summary>The Orleans cluster id, which must match the silos' <c>ClusterOptions.ClusterId</c>.</summary>
    /// <value>The default value is <c>meshflow-dev</c>.</value>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>The Orleans service id, which must match the silos' <c>ClusterOptions.ServiceId</c>.</summary>
    /// <value>The default value is <c>meshflow</c>.</value>
    public string ServiceId { get; set; } = DefaultServiceId;

    /// <summary>
    /// The deadline for <see cref="MeshFlowClientHost.ConnectAsync(MeshFlowClientOptions, CancellationToken)"/> to
    /// reach a gateway. When it passes, the connection fails with <see cref="MeshFlowConnectionException"/>. It must be
    /// greater than zero and at most <see cref="MaxConnectTimeout"/>.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
