namespace MeshFlow.Grains.Alerts;

/// <summary>
/// One measurement of a metric.
/// </summary>
/// <param name="Metric">The metric name, such as agent.cost_usd.</param>
/// <param name="Value">The measured value. NaN and infinities are rejected.</param>
/// <param name="Timestamp">When it was measured, or <see langword="null"/> for the time the service receives it.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.metric-sample")]
public readonly record struct MetricSample(
    [property: Id(0)] string Metric,
    [property: Id(1)] double Value,
    [property: Id(2)] DateTimeOffset? Timestamp = null)
{
    /// <summary>The maximum number of samples in one call. The client splits larger batches.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>How far after the service clock a sample's time may be and still be accepted.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(5);

    /// <summary>How far before the start of a rule's window a sample's time may be and still be accepted.</summary>
    public static readonly TimeSpan LatenessHorizon = TimeSpan.FromSeconds(60);
}
