namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Takes a tenant's metric samples and passes them, in batches per metric, to the rules that watch them. It keeps no
/// state, so each silo runs its own copies and no single activation carries a busy tenant.
/// Key: <see cref="GrainKeys.MetricIngress"/>.
/// </summary>
[Alias("meshflow.IMetricIngressGrain")]
public interface IMetricIngressGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a batch of at most <see cref="MetricSample.MaxBatchSize"/> samples. An invalid metric name or a
    /// non-finite value rejects the whole batch with <see cref="MeshFlowValidationException"/>; samples too far in the
    /// future or the past are counted in the result and dropped.
    /// </summary>
    [Alias("record")]
    Task<MetricRecordResult> RecordAsync(IReadOnlyList<MetricSample> samples);
}
