using System.Globalization;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class AlertTextTests
{
    private static AlertRule CreateRule(
        AlertComparison comparison,
        double threshold = 20.0,
        AlertAggregation aggregation = AlertAggregation.P95) =>
        new("slow-agent", "agent.latency_ms", threshold, 300, "https://example.com/alerts", aggregation, comparison);

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-3.0, "-3.0")]
    [InlineData(1.25, "1.25")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(123456789.0, "123456789.0")]
    [InlineData(1e21, "1E+21")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(double.NaN, "NaN")]
    public void Number_Value_ShortestRoundTripWithPoint(double value, string expected)
    {
        var text = AlertText.Number(value);

        Assert.Equal(expected, text);
    }

    [Fact]
    public void Number_GermanCulture_UsesInvariantPoint()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var text = AlertText.Number(1.5);

            Assert.Equal("1.5", text);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(AlertComparison.Gt, ">")]
    [InlineData(AlertComparison.Gte, ">=")]
    [InlineData(AlertComparison.Lt, "<")]
    [InlineData(AlertComparison.Lte, "<=")]
    public void Operator_Comparison_ReturnsSymbol(AlertComparison comparison, string expected)
    {
        Assert.Equal(expected, AlertText.Operator(comparison));
    }

    [Fact]
    public void Operator_UndefinedComparison_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertText.Operator((AlertComparison)42));
    }

    [Theory]
    [InlineData(AlertAggregation.Sum, "sum")]
    [InlineData(AlertAggregation.Avg, "avg")]
    [InlineData(AlertAggregation.Count, "count")]
    [InlineData(AlertAggregation.P99, "p99")]
    public void Name_Aggregation_Lowercase(AlertAggregation aggregation, string expected)
    {
        Assert.Equal(expected, AlertText.Name(aggregation));
    }

    [Theory]
    [InlineData(AlertComparison.Gte, "gte")]
    [InlineData(AlertComparison.Lt, "lt")]
    public void Name_Comparison_Lowercase(AlertComparison comparison, string expected)
    {
        Assert.Equal(expected, AlertText.Name(comparison));
    }

    [Theory]
    [InlineData(AlertComparison.Gt, 25.0, "agent.latency_ms p95 over 300 s = 25.0 > 20.0")]
    [InlineData(AlertComparison.Gt, 20.0, "agent.latency_ms p95 over 300 s = 20.0, not > 20.0")]
    [InlineData(AlertComparison.Gte, 20.0, "agent.latency_ms p95 over 300 s = 20.0 >= 20.0")]
    [InlineData(AlertComparison.Gte, 19.5, "agent.latency_ms p95 over 300 s = 19.5, not >= 20.0")]
    [InlineData(AlertComparison.Lt, 12.5, "agent.latency_ms p95 over 300 s = 12.5 < 20.0")]
    [InlineData(AlertComparison.Lt, 20.0, "agent.latency_ms p95 over 300 s = 20.0, not < 20.0")]
    [InlineData(AlertComparison.Lte, 20.0, "agent.latency_ms p95 over 300 s = 20.0 <= 20.0")]
    [InlineData(AlertComparison.Lte, 25.0, "agent.latency_ms p95 over 300 s = 25.0, not <= 20.0")]
    public void Describe_Value_StatesConditionAndOutcome(AlertComparison comparison, double value, string expected)
    {
        var rule = CreateRule(comparison);

        var text = AlertText.Describe(rule, value);

        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(AlertComparison.Gt)]
    [InlineData(AlertComparison.Lt)]
    public void Describe_NoSamples_ReportsNoSamples(AlertComparison comparison)
    {
        var rule = CreateRule(comparison);

        var text = AlertText.Describe(rule, null);

        Assert.Equal("agent.latency_ms p95 over 300 s: no samples", text);
    }

    [Fact]
    public void Describe_EmptyCountWindow_ShowsZero()
    {
        var rule = CreateRule(AlertComparison.Lt, threshold: 1, aggregation: AlertAggregation.Count);

        var text = AlertText.Describe(rule, 0);

        Assert.Equal("agent.latency_ms count over 300 s = 0.0 < 1.0", text);
    }

    [Fact]
    public void Describe_NullRule_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => AlertText.Describe(null!, 1.0));
    }
}
