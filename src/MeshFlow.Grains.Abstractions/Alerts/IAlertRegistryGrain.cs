using Orleans.Concurrency;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// A tenant's alert rules. Key: <see cref="GrainKeys.AlertRegistry"/>.
/// </summary>
[Alias("meshflow.IAlertRegistryGrain")]
public interface IAlertRegistryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates and stores a rule. An existing rule of the same name is an error unless <paramref name="replace"/>
    /// is set; adding the same rule again with the same secret succeeds and changes nothing.
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <param name="secret">The signing secret, or <see langword="null"/> to generate one and return it once.</param>
    /// <param name="replace">Whether to replace a rule of the same name.</param>
    [Alias("add")]
    Task<AlertRuleAdded> AddRuleAsync(AlertRule rule, string? secret, bool replace);

    /// <summary>Returns the tenant's rules, ordered by name.</summary>
    [Alias("list")]
    [ReadOnly]
    Task<IReadOnlyList<AlertRule>> ListRulesAsync();

    /// <summary>Removes a rule and returns it, or throws <see cref="MeshFlowNotFoundException"/>.</summary>
    [Alias("remove")]
    Task<AlertRule> RemoveRuleAsync(string name);

    /// <summary>
    /// Evaluates one rule, or every rule when <paramref name="name"/> is <see langword="null"/>, sending any
    /// notifications due, and returns each rule's state ordered by name.
    /// </summary>
    [Alias("evaluate")]
    Task<IReadOnlyList<AlertEvaluation>> EvaluateAsync(string? name);
}
