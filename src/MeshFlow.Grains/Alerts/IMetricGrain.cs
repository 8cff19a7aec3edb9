using Orleans.Concurrency;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The rules of a tenant that watch one metric, and the fan-out of that metric's samples to them.
/// Key: <see cref="GrainKeys.Metric"/>.
/// </summary>
[Alias("meshflow.IMetricGrain")]
public interface IMetricGrain : IGrainWithStringKey
{
    /// <summary>Adds a rule to the metric's watchers; adding it twice changes nothing.</summary>
    [Alias("subscribe")]
    Task SubscribeAsync(string ruleName);

    /// <summary>Removes a rule from the metric's watchers; an unknown rule is ignored.</summary>
    [Alias("unsubscribe")]
    Task UnsubscribeAsync(string ruleName);

    /// <summary>Passes samples, all stamped, to every watching rule. Runs interleaved with other batches.</summary>
    [Alias("record")]
    [AlwaysInterleave]
    Task RecordAsync(IReadOnlyList<MetricSample> samples);
}

/// <summary>The calls that keep a tenant's alert rule list in step with its rule grains.</summary>
[Alias("meshflow.IAlertRegistrySync")]
public interface IAlertRegistrySync : IGrainWithStringKey
{
    /// <summary>
    /// Asks the registry to read the rule's current definition from its grain and update the list. One-way, so a rule
    /// grain can call it while the registry is waiting on that grain.
    /// </summary>
    [Alias("sync")]
    [OneWay]
    Task SyncRuleAsync(string ruleName);
}
