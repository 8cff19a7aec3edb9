namespace MeshFlow.Grains.Alerts;

/// <summary>
/// How many samples of a batch the service took.
/// </summary>
/// <param name="Accepted">Samples stored for the tenant's rules.</param>
/// <param name="RejectedFuture">Samples stamped further ahead of the service clock than the allowed skew.</param>
/// <param name="RejectedTooLate">Samples older than the longest window plus the lateness horizon.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.metric-record-result")]
public sealed record MetricRecordResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int RejectedFuture,
    [property: Id(2)] int RejectedTooLate)
{
    /// <summary>Adds two results, for batches split across calls.</summary>
    public static MetricRecordResult operator +(MetricRecordResult left, MetricRecordResult right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new MetricRecordResult(
            left.Accepted + right.Accepted,
            left.RejectedFuture + right.RejectedFuture,
            left.RejectedTooLate + right.RejectedTooLate);
    }
}
