namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The outcome of adding an alert rule.
/// </summary>
/// <param name="Rule">The stored rule.</param>
/// <param name="GeneratedSecret">
/// The signing secret generated because none was given. It is returned only here, once; otherwise
/// <see langword="null"/>.
/// </param>
/// <param name="Replaced">Whether an existing rule of the same name was replaced.</param>
/// <param name="Unchanged">
/// Whether a rule with exactly these settings already existed, so nothing changed. The secret is then the stored one.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.alert-rule-added")]
public sealed record AlertRuleAdded(
    [property: Id(0)] AlertRule Rule,
    [property: Id(1)] string? GeneratedSecret,
    [property: Id(2)] bool Replaced,
    [property: Id(3)] bool Unchanged = false)
{
    /// <summary>Hides the generated secret from logs and debugger views.</summary>
    public override string ToString() =>
        $"AlertRuleAdded {{ Rule = {Rule.Name}, GeneratedSecret = {(GeneratedSecret is null ? "none" : "hidden")}, Replaced = {Replaced}, Unchanged = {Unchanged} }}";
}
