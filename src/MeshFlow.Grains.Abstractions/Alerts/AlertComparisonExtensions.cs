namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Threshold tests for <see cref="AlertComparison"/>.
/// </summary>
public static class AlertComparisonExtensions
{
    /// <summary>
    /// Tests whether <paramref name="value"/> meets the condition against <paramref name="threshold"/>.
    /// </summary>
    /// <returns><see langword="false"/> when either operand is NaN, as with the C# comparison operators.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The comparison is not a defined member.</exception>
    public static bool IsMet(this AlertComparison comparison, double value, double threshold)
    {
        return comparison switch
        {
            AlertComparison.Gt => value > threshold,
            AlertComparison.Gte => value >= threshold,
            AlertComparison.Lt => value < threshold,
            AlertComparison.Lte => value <= threshold,
            _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "Unknown alert comparison."),
        };
    }
}
