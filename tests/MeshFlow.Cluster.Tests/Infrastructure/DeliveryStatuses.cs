using System.Collections.Concurrent;
using MeshFlow.Client;
using MeshFlow.Grains;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>The latest status read for each delivery through <see cref="DeliveryTracker"/>.</summary>
public sealed class DeliveryStatuses
{
    private readonly ConcurrentDictionary<string, DeliveryInfo> _infos = new(StringComparer.Ordinal);
    private int _failedQueryCount;

    /// <summary>The latest status read for each delivery whose read succeeded at least once.</summary>
    public IReadOnlyDictionary<string, DeliveryInfo> Infos => _infos;

    /// <summary>How many reads failed or timed out.</summary>
    public int FailedQueryCount => Volatile.Read(ref _failedQueryCount);

    /// <summary>Reads one delivery, counting a failed or timed-out read instead of throwing.</summary>
    public async Task QueryAsync(DeliveryTracker tracker, string tenantId, string deliveryId, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            _infos[deliveryId] = await tracker.GetAsync(tenantId, deliveryId, deadline.Token);
        }
        catch (Exception ex) when (ex is not MeshFlowValidationException)
        {
            // MeshFlowNotFoundException lands here too, so a delivery without a record has no status and fails the final
            // check.
            Interlocked.Increment(ref _failedQueryCount);
        }
    }

    /// <summary>Returns whether the delivery has succeeded or failed for good.</summary>
    public bool IsFinished(string deliveryId) =>
        _infos.TryGetValue(deliveryId, out var info) && info.Status != DeliveryStatus.Pending;

    /// <summary>Returns whether the delivery has succeeded.</summary>
    public bool HasSucceeded(string deliveryId) =>
        _infos.TryGetValue(deliveryId, out var info) && info.Status == DeliveryStatus.Succeeded;

    /// <summary>Counts the deliveries by their latest status.</summary>
    public IReadOnlyDictionary<DeliveryStatus, int> CountByStatus() =>
        _infos.Values.GroupBy(info => info.Status).ToDictionary(group => group.Key, group => group.Count());
}
