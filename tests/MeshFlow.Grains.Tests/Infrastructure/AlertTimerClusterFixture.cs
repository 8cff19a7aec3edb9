namespace MeshFlow.Grains.Tests.Infrastructure;

/// <summary>
/// A <see cref="DeliveryCluster"/> whose alert rules evaluate on their grain timer every second, the shortest
/// interval allowed, so tests can observe timer-driven notifications within a bounded real-time wait.
/// </summary>
public sealed class AlertTimerClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromSeconds(1);

    public DeliveryCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await DeliveryCluster.StartAsync(
            configureAlerts: options => options.EvaluationInterval = EvaluationInterval);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
