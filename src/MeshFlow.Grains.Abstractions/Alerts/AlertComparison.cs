namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The operator that compares an aggregated value with a rule's threshold.
/// </summary>
public enum AlertComparison
{
    /// <summary>The value is greater than the threshold.</summary>
    Gt = 0,

    /// <summary>The value is greater than or equal to the threshold.</summary>
    Gte,

    /// <summary>The value is less than the threshold.</summary>
    Lt,

    /// <summary>The value is less than or equal to the threshold.</summary>
    Lte,
}
