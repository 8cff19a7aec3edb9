using System.ComponentModel.DataAnnotations;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Settings of alert rule evaluation, bound from the <c>MeshFlow:Alerts</c> configuration section.
/// </summary>
public sealed class AlertOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "MeshFlow:Alerts";

    /// <summary>The most alert rules one tenant may have.</summary>
    public const int MaxRulesPerTenant = 100;

    /// <summary>Gets or sets how often each active rule evaluates its window.</summary>
    /// <value>The default value is 10 seconds. Allowed: 00:00:01 to 00:05:00.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00",
        ErrorMessage = "MeshFlow:Alerts:EvaluationInterval must be between {1} and {2}.")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(10);
}
