using MeshFlow.Grains.Hosting;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Keeps the names of the rules that watch one metric of a tenant and passes each batch of samples to all of them.
/// </summary>
/// <remarks>
/// Batches run interleaved, each over a snapshot of the watcher list, which is replaced rather than changed in place.
/// A rule that reports that it no longer watches the metric (it was removed, or now watches another metric) is
/// dropped from the list, so a watcher left behind by an interrupted change costs one call.
/// </remarks>
[GrainType("metric")]
internal sealed class MetricGrain : Grain, IMetricGrain
{
    private readonly IPersistentState<MetricState> _state;
    private (string TenantId, string Metric)? _key;

    public MetricGrain([PersistentState(StorageNames.MetricState, StorageNames.Store)] IPersistentState<MetricState> state)
    {
        _state = state;
    }

    public async Task SubscribeAsync(string ruleName)
    {
        AlertRule.ValidateName(ruleName);
        if (_state.State.Rules.Contains(ruleName, StringComparer.Ordinal))
        {
            return;
        }

        await WriteAsync([.. _state.State.Rules, ruleName]);
    }

    public async Task UnsubscribeAsync(string ruleName)
    {
        if (!_state.State.Rules.Contains(ruleName, StringComparer.Ordinal))
        {
            return;
        }

        await WriteAsync([.. _state.State.Rules.Where(name => !string.Equals(name, ruleName, StringComparison.Ordinal))]);
    }

    public async Task RecordAsync(IReadOnlyList<MetricSample> samples)
    {
        var rules = _state.State.Rules;
        if (rules.Count == 0 || samples.Count == 0)
        {
            return;
        }

        var (tenantId, metric) = _key ??= ParseKey();
        var watching = await Task.WhenAll(rules.Select(name =>
            GrainFactory.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(tenantId, name)).RecordAsync(metric, samples)));

        var self = this.AsReference<IMetricGrain>();
        for (var i = 0; i < rules.Count; i++)
        {
            if (!watching[i])
            {
                // Not awaited: the removal waits for this batch to finish, because the grain runs one change at a time.
                self.UnsubscribeAsync(rules[i]).Ignore();
            }
        }
    }

    private (string TenantId, string Metric) ParseKey()
    {
        // Key layout: metric/{tenantId}/{metric}; neither may contain '/'.
        var parts = this.GetPrimaryKeyString().Split('/');
        return (parts[1], parts[2]);
    }

    private Task WriteAsync(List<string> rules) => _state.CommitAsync(new MetricState { Rules = rules });
}

/// <summary>The stored list of rules watching one metric.</summary>
[GenerateSerializer]
[Alias("meshflow.state.metric-watchers")]
public sealed class MetricState
{
    /// <summary>The names of the watching rules, in the order they subscribed.</summary>
    [Id(0)]
    public List<string> Rules { get; set; } = [];
}
