using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// A tenant's list of alert rules, and the entry point that adds, removes and evaluates them.
/// </summary>
/// <remarks>
/// Each rule grain stores its own definition and is the authority on it; this grain keeps a copy of every definition
/// for listing. Changes go to the metric's watcher list first, then the rule grain, then this list, so an interrupted
/// change leaves at most an extra watcher (dropped on the next batch) or a list entry out of step, which the rule
/// grain repairs within a minute through <see cref="IAlertRegistrySync.SyncRuleAsync"/>.
/// </remarks>
[GrainType("alert-registry")]
internal sealed partial class AlertRegistryGrain : Grain, IAlertRegistryGrain, IAlertRegistrySync
{
    private readonly IPersistentState<AlertRegistryState> _state;
    private readonly ILogger<AlertRegistryGrain> _logger;

    public AlertRegistryGrain(
        [PersistentState(StorageNames.AlertRegistryState, StorageNames.Store)] IPersistentState<AlertRegistryState> state,
        ILogger<AlertRegistryGrain> logger)
    {
        _state = state;
        _logger = logger;
    }

    private string TenantId => this.GetPrimaryKeyString()["alert-rules/".Length..];

    public async Task<AlertRuleAdded> AddRuleAsync(AlertRule rule, string? secret, bool replace)
    {
        AlertRule.Validate(rule);
        if (secret is not null)
        {
            Validation.Secret(secret);
        }

        var rules = _state.State.Rules;
        if (!rules.ContainsKey(rule.Name) && rules.Count >= AlertOptions.MaxRulesPerTenant)
        {
            throw new MeshFlowValidationException(
                $"Tenant '{TenantId}' already has {rules.Count} alert rules, the most allowed: remove one before adding "
                + $"'{rule.Name}'.");
        }

        await Metric(rule.Metric).SubscribeAsync(rule.Name);
        var configured = await Rule(rule.Name).ConfigureAsync(rule, secret, replace);
        if (configured.PreviousMetric is { } previous && previous != rule.Metric)
        {
            await UnsubscribeAsync(previous, rule.Name);
        }

        await SetAsync(rule.Name, rule);
        return configured.Added;
    }

    public Task<IReadOnlyList<AlertRule>> ListRulesAsync()
    {
        IReadOnlyList<AlertRule> rules = [.. _state.State.Rules.Values.OrderBy(rule => rule.Name, StringComparer.Ordinal)];
        return Task.FromResult(rules);
    }

    public async Task<AlertRule> RemoveRuleAsync(string name)
    {
        AlertRule.ValidateName(name);
        var removed = await Rule(name).RemoveAsync();
        await SetAsync(name, null);
        if (removed is null)
        {
            throw NotFound(name);
        }

        await UnsubscribeAsync(removed.Metric, name);
        return removed;
    }

    public async Task<IReadOnlyList<AlertEvaluation>> EvaluateAsync(string? name)
    {
        if (name is not null)
        {
            AlertRule.ValidateName(name);
            var evaluation = await Rule(name).EvaluateAsync();
            if (evaluation is null)
            {
                await SetAsync(name, null);
                throw NotFound(name);
            }

            return [evaluation];
        }

        var names = _state.State.Rules.Keys.Order(StringComparer.Ordinal).ToList();
        var evaluations = await Task.WhenAll(names.Select(ruleName => Rule(ruleName).EvaluateAsync()));
        for (var i = 0; i < names.Count; i++)
        {
            if (evaluations[i] is null)
            {
                await SetAsync(names[i], null);
            }
        }

        return [.. evaluations.OfType<AlertEvaluation>()];
    }

    public async Task SyncRuleAsync(string ruleName)
    {
        AlertRule.ValidateName(ruleName);
        await SetAsync(ruleName, await Rule(ruleName).GetRuleAsync());
    }

    private MeshFlowNotFoundException NotFound(string name) => new(
        $"Alert rule '{name}' not found for tenant '{TenantId}': check the name with 'meshflow alerts list'.");

    private IAlertRuleGrain Rule(string name) => GrainFactory.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(TenantId, name));

    private IMetricGrain Metric(string metric) => GrainFactory.GetGrain<IMetricGrain>(GrainKeys.Metric(TenantId, metric));

    private async Task UnsubscribeAsync(string metric, string ruleName)
    {
        try
        {
            await Metric(metric).UnsubscribeAsync(ruleName);
        }
        catch (Exception ex)
        {
            // The metric grain drops the watcher itself when the rule next declines a batch.
            LogUnsubscribeFailed(_logger, ex, TenantId, ruleName, metric);
        }
    }

    /// <summary>Stores <paramref name="rule"/> under <paramref name="name"/>, or removes the entry when it is null; writes only on change.</summary>
    private async Task SetAsync(string name, AlertRule? rule)
    {
        var rules = _state.State.Rules;
        var current = rules.GetValueOrDefault(name);
        if (current == rule)
        {
            return;
        }

        var next = new Dictionary<string, AlertRule>(rules, StringComparer.Ordinal);
        if (rule is null)
        {
            next.Remove(name);
        }
        else
        {
            next[name] = rule;
        }

        await _state.CommitAsync(new AlertRegistryState { Rules = next });
    }

    [LoggerMessage(EventId = 1411, EventName = "AlertUnsubscribeFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: could not remove rule {RuleName} from the watchers of {Metric}; it is dropped on the next batch")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string tenantId, string ruleName, string metric);
}

/// <summary>The stored copy of a tenant's alert rule definitions, without secrets.</summary>
[GenerateSerializer]
[Alias("meshflow.state.alert-registry")]
public sealed class AlertRegistryState
{
    /// <summary>The rules by name.</summary>
    [Id(0)]
    public Dictionary<string, AlertRule> Rules { get; set; } = new(StringComparer.Ordinal);
}
