using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Validates a tenant's metric samples, stamps those without a time, drops those outside the accepted time range and
/// sends the rest to one <see cref="IMetricGrain"/> per metric, one call per metric per batch.
/// </summary>
/// <remarks>
/// It is a stateless worker: each silo runs copies of it as load requires, so a busy tenant's traffic is spread
/// over the silos and reaches the per-metric grains in batches rather than sample by sample.
/// </remarks>
[GrainType("metric-ingress")]
[StatelessWorker]
internal sealed class MetricIngressGrain : Grain, IMetricIngressGrain
{
    // Older samples cannot fall inside any window: the longest is one day, plus the lateness horizon.
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(AlertRule.MaxWindowSeconds) + SlidingWindow.LatenessHorizon;

    private readonly TimeProvider _clock;
    private readonly MeshFlowMetrics _metrics;

    public MetricIngressGrain([FromKeyedServices(MeshFlowClock.ServiceKey)] TimeProvider clock, MeshFlowMetrics metrics)
    {
        _clock = clock;
        _metrics = metrics;
    }

    public async Task<MetricRecordResult> RecordAsync(IReadOnlyList<MetricSample> samples)
    {
        Validate(samples);
        var tenantId = this.GetPrimaryKeyString()["metric-ingress/".Length..];
        var now = _clock.GetUtcNow();
        int future = 0, tooLate = 0;
        var byMetric = new Dictionary<string, List<MetricSample>>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var timestamp = sample.Timestamp ?? now;
            if (timestamp - now > SlidingWindow.MaxClockSkew)
            {
                future++;
                continue;
            }

            if (now - timestamp >= MaxAge)
            {
                tooLate++;
                continue;
            }

            if (!byMetric.TryGetValue(sample.Metric, out var batch))
            {
                batch = [];
                byMetric.Add(sample.Metric, batch);
            }

            batch.Add(sample with { Timestamp = timestamp });
        }

        await Task.WhenAll(byMetric.Select(pair =>
            GrainFactory.GetGrain<IMetricGrain>(GrainKeys.Metric(tenantId, pair.Key)).RecordAsync(pair.Value)));

        var accepted = samples.Count - future - tooLate;
        _metrics.SamplesRecorded.Add(accepted);
        _metrics.RecordRejected(future, "future");
        _metrics.RecordRejected(tooLate, "too_late");

        return new MetricRecordResult(accepted, future, tooLate);
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> for a missing or oversized batch, an invalid metric name or a
    /// value that is not a finite number, naming the first offending sample. An empty batch is valid.
    /// </summary>
    internal static void Validate(IReadOnlyList<MetricSample>? samples)
    {
        if (samples is null)
        {
            throw new MeshFlowValidationException("Missing samples: give at least one metric sample.");
        }

        if (samples.Count > MetricSample.MaxBatchSize)
        {
            throw new MeshFlowValidationException(
                $"Too many samples in one batch: {samples.Count}; send at most {MetricSample.MaxBatchSize} per call.");
        }

        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            Validation.MetricName(sample.Metric);
            if (!double.IsFinite(sample.Value))
            {
                throw new MeshFlowValidationException(
                    $"Invalid value {sample.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} for metric "
                    + $"'{sample.Metric}' (sample {i}): give a finite number; NaN and infinities are not accepted.");
            }
        }
    }
}
