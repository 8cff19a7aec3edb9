using System.Globalization;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Client;

/// <summary>
/// Records metric samples for a tenant's alert rules through its <see cref="IMetricIngressGrain"/>.
/// </summary>
/// <remarks>
/// Every sample is validated before the first grain call, so an invalid tenant id, metric name or value fails with
/// <see cref="MeshFlowValidationException"/> and records nothing. A cancellation token stops waiting for the grain's
/// response, but it does not cancel a batch that was already sent.
/// </remarks>
public sealed class MetricStore
{
    private static readonly MetricRecordResult EmptyResult = new(Accepted: 0, RejectedFuture: 0, RejectedTooLate: 0);

    private readonly IGrainFactory grainFactory;

    public MetricStore(IGrainFactory grainFactory)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        this.grainFactory = grainFactory;
    }

    /// <summary>
    /// Records one sample of <paramref name="metric"/>, stamped with <paramref name="timestamp"/> or, when that is
    /// <see langword="null"/>, with the time the service receives it. The result counts the sample as accepted, or
    /// as rejected because it is too far in the future or too old.
    /// </summary>
    public async Task<MetricRecordResult> RecordAsync(
        string tenantId,
        string metric,
        double value,
        DateTimeOffset? timestamp = null,
        CancellationToken cancellationToken = default)
    {
        Validation.TenantId(tenantId);
        Validation.MetricName(metric);
        ValidateValue(metric, value, sampleIndex: null);

        var ingress = GetIngress(tenantId);
        return await ingress.RecordAsync([new MetricSample(metric, value, timestamp)]).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Records <paramref name="samples"/> in calls of at most <see cref="MetricSample.MaxBatchSize"/> samples each,
    /// in the order given, and returns the sum of their results. An empty batch returns zeros without a call.
    /// </summary>
    /// <remarks>
    /// The calls are not one transaction: when a call fails, or the token is canceled, after the first call, the
    /// samples of the earlier calls stay recorded. Recording the whole batch again would count those samples twice.
    /// </remarks>
    /// <exception cref="MeshFlowValidationException">
    /// A sample has an invalid metric name or a NaN or infinite value. The message names the sample's index in
    /// <paramref name="samples"/>, and nothing is recorded.
    /// </exception>
    public async Task<MetricRecordResult> RecordBatchAsync(
        string tenantId,
        IEnumerable<MetricSample> samples,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);

        Validation.TenantId(tenantId);
        var batch = samples.ToList();
        for (var index = 0; index < batch.Count; index++)
        {
            ValidateSample(batch[index], index);
        }

        if (batch.Count == 0)
        {
            return EmptyResult;
        }

        var ingress = GetIngress(tenantId);
        var total = EmptyResult;
        foreach (var chunk in batch.Chunk(MetricSample.MaxBatchSize))
        {
            // WaitAsync alone would still send the next chunk after a cancellation and only stop waiting for it.
            cancellationToken.ThrowIfCancellationRequested();
            total += await ingress.RecordAsync(chunk).WaitAsync(cancellationToken);
        }

        return total;
    }

    private static void ValidateSample(MetricSample sample, int index)
    {
        try
        {
            Validation.MetricName(sample.Metric);
        }
        catch (MeshFlowValidationException exception)
        {
            throw new MeshFlowValidationException(
                $"No sample was recorded, because the sample at index {index} is invalid. {exception.Message}",
                exception);
        }

        ValidateValue(sample.Metric, sample.Value, index);
    }

    private static void ValidateValue(string metric, double value, int? sampleIndex)
    {
        if (double.IsFinite(value))
        {
            return;
        }

        var position = sampleIndex is { } index
            ? string.Create(CultureInfo.InvariantCulture, $" at index {index}")
            : string.Empty;
        throw new MeshFlowValidationException(
            $"Invalid value {value.ToString(CultureInfo.InvariantCulture)} of the {metric} sample{position}: "
            + "use a finite number, because NaN and infinities are rejected. No sample was recorded.");
    }

    private IMetricIngressGrain GetIngress(string tenantId) =>
        grainFactory.GetGrain<IMetricIngressGrain>(GrainKeys.MetricIngress(tenantId));
}
