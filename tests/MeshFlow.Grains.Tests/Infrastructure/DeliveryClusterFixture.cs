namespace MeshFlow.Grains.Tests.Infrastructure;

/// <summary>
/// One <see cref="DeliveryCluster"/> with the default delivery options, shared by the tests of a class. Tests in a
/// class run one after another, so each may move the fake clock. Each test uses its own tenant ids and receivers.
/// </summary>
public sealed class DeliveryClusterFixture : IAsyncLifetime
{
    public DeliveryCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await DeliveryCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
