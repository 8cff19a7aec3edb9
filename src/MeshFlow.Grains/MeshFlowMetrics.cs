using System.Diagnostics.Metrics;

namespace MeshFlow.Grains;

/// <summary>
/// Counters and histograms of the delivery and alert pipelines, published on the <c>MeshFlow.Grains</c> meter.
/// </summary>
internal sealed class MeshFlowMetrics
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "MeshFlow.Grains";

    public MeshFlowMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        DeliveriesAccepted = meter.CreateCounter<long>(
            "meshflow.deliveries.accepted", "{delivery}", "Deliveries accepted and persisted.");
        DeliveriesFinished = meter.CreateCounter<long>(
            "meshflow.deliveries.finished", "{delivery}", "Deliveries that succeeded or failed for good, by status.");
        Attempts = meter.CreateCounter<long>(
            "meshflow.delivery.attempts", "{attempt}", "HTTP attempts, by outcome.");
        AttemptDuration = meter.CreateHistogram<double>(
            "meshflow.delivery.attempt.duration", "ms", "Duration of HTTP attempts.");
        SamplesRecorded = meter.CreateCounter<long>(
            "meshflow.metrics.samples.accepted", "{sample}", "Metric samples accepted for alert rules.");
        SamplesRejected = meter.CreateCounter<long>(
            "meshflow.metrics.samples.rejected", "{sample}", "Metric samples dropped, by reason: future, too_late.");
        AlertNotifications = meter.CreateCounter<long>(
            "meshflow.alerts.notifications", "{notification}", "Alert notifications queued for delivery, by kind.");
    }

    public Counter<long> DeliveriesAccepted { get; }

    public Counter<long> DeliveriesFinished { get; }

    public Counter<long> Attempts { get; }

    public Histogram<double> AttemptDuration { get; }

    public Counter<long> SamplesRecorded { get; }

    public Counter<long> SamplesRejected { get; }

    /// <summary>Counts <paramref name="count"/> dropped samples under <paramref name="reason"/>; a count of 0 records nothing.</summary>
    public void RecordRejected(long count, string reason)
    {
        if (count > 0)
        {
            SamplesRejected.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public Counter<long> AlertNotifications { get; }
}
