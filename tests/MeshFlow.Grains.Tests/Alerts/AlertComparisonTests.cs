using MeshFlow.Grains.Alerts;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class AlertComparisonTests
{
    [Theory]
    [InlineData(AlertComparison.Gt, 5.0, 4.0, true)]
    [InlineData(AlertComparison.Gt, 4.0, 4.0, false)]
    [InlineData(AlertComparison.Gte, 4.0, 4.0, true)]
    [InlineData(AlertComparison.Gte, 3.0, 4.0, false)]
    [InlineData(AlertComparison.Lt, 3.0, 4.0, true)]
    [InlineData(AlertComparison.Lt, 4.0, 4.0, false)]
    [InlineData(AlertComparison.Lte, 4.0, 4.0, true)]
    [InlineData(AlertComparison.Lte, 5.0, 4.0, false)]
    public void IsMet_ValueAgainstThreshold_MatchesOperator(AlertComparison comparison, double value, double threshold, bool expected)
    {
        var result = comparison.IsMet(value, threshold);

        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData(AlertComparison.Gt)]
    [InlineData(AlertComparison.Gte)]
    [InlineData(AlertComparison.Lt)]
    [InlineData(AlertComparison.Lte)]
    public void IsMet_NaNValue_ReturnsFalse(AlertComparison comparison)
    {
        var result = comparison.IsMet(double.NaN, 1.0);

        Assert.False(result);
    }

    [Fact]
    public void IsMet_UndefinedComparison_Throws()
    {
        var comparison = (AlertComparison)42;

        Assert.Throws<ArgumentOutOfRangeException>(() => comparison.IsMet(1.0, 1.0));
    }

    [Fact]
    public void Default_Comparison_IsGt()
    {
        Assert.Equal(AlertComparison.Gt, default);
    }
}
