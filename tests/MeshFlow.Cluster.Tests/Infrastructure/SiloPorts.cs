namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>The ports of one silo on 127.0.0.1, kept across its restarts.</summary>
/// <param name="Silo">The silo-to-silo port.</param>
/// <param name="Gateway">The port clients connect to.</param>
public sealed record SiloPorts(int Silo, int Gateway)
{
    /// <summary>The gateway as a client lists it.</summary>
    public string GatewayAddress => $"127.0.0.1:{Gateway}";
}
