namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The result of evaluating one alert rule.
/// </summary>
/// <param name="RuleName">The rule's name.</param>
/// <param name="State">
/// <see cref="AlertStatus.Inactive"/>, <see cref="AlertStatus.Pending"/> or <see cref="AlertStatus.Firing"/>; an alert
/// that resolved in this evaluation reports <see cref="AlertStatus.Inactive"/>.
/// </param>
/// <param name="Value">The window aggregate, or <see langword="null"/> when the window contains no samples.</param>
/// <param name="Threshold">The rule's threshold.</param>
/// <param name="Description">A one-line account such as "agent.cost_usd sum over 60 s = 1.25 &gt; 1.0".</param>
/// <param name="HasFullWindow">
/// Whether the rule has observed one full window since it was last activated. Until then, <c>lt</c> and <c>lte</c>
/// rules do not fire and firing alerts do not resolve.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.alert-evaluation")]
public sealed record AlertEvaluation(
    [property: Id(0)] string RuleName,
    [property: Id(1)] AlertStatus State,
    [property: Id(2)] double? Value,
    [property: Id(3)] double Threshold,
    [property: Id(4)] string Description,
    [property: Id(5)] bool HasFullWindow);
