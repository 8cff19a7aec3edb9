namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The function that reduces the samples in a sliding window to one value.
/// </summary>
public enum AlertAggregation
{
    /// <summary>The sum of all samples.</summary>
    Sum = 0,

    /// <summary>The mean per sample: sum divided by count, not weighted by time.</summary>
    Avg,

    /// <summary>The smallest sample.</summary>
    Min,

    /// <summary>The largest sample.</summary>
    Max,

    /// <summary>The number of samples, which is 0 for an empty window.</summary>
    Count,

    /// <summary>The 50th percentile (median) by the nearest-rank method.</summary>
    P50,

    /// <summary>The 95th percentile by the nearest-rank method.</summary>
    P95,

    /// <summary>The 99th percentile by the nearest-rank method.</summary>
    P99,
}
