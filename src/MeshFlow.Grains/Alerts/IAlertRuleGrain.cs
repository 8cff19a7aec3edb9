using Orleans.Concurrency;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// One alert rule of a tenant: its definition, its alert state and its window of samples. It is called by the
/// tenant's alert registry and metric grains, and lives in the grains assembly because it handles the rule's secret.
/// Key: <see cref="GrainKeys.AlertRule"/>.
/// </summary>
[Alias("meshflow.IAlertRuleGrain")]
public interface IAlertRuleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Defines or replaces the rule and returns the outcome with the metric the rule watched before, if any.
    /// </summary>
    [Alias("configure")]
    Task<AlertRuleConfigured> ConfigureAsync(AlertRule rule, string? secret, bool replace);

    /// <summary>Removes the rule and returns it, or returns <see langword="null"/> when none is defined.</summary>
    [Alias("remove")]
    Task<AlertRule?> RemoveAsync();

    /// <summary>Returns the rule, or <see langword="null"/> when none is defined.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<AlertRule?> GetRuleAsync();

    /// <summary>Evaluates the rule now, or returns <see langword="null"/> when none is defined.</summary>
    [Alias("evaluate")]
    Task<AlertEvaluation?> EvaluateAsync();

    /// <summary>
    /// Adds samples of <paramref name="metric"/> to the window. Returns <see langword="false"/> when the rule does
    /// not watch that metric, so the caller can stop sending it.
    /// </summary>
    [Alias("record")]
    Task<bool> RecordAsync(string metric, IReadOnlyList<MetricSample> samples);
}

/// <summary>The outcome of <see cref="IAlertRuleGrain.ConfigureAsync"/>.</summary>
/// <param name="Added">The outcome returned to the caller of the registry.</param>
/// <param name="PreviousMetric">The metric of the rule it replaced, or <see langword="null"/>.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.alert-rule-configured")]
public sealed record AlertRuleConfigured(
    [property: Id(0)] AlertRuleAdded Added,
    [property: Id(1)] string? PreviousMetric);
