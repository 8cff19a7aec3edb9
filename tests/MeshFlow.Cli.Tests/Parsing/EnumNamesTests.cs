using MeshFlow.Cli.Parsing;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Tests.Parsing;

public sealed class EnumNamesTests
{
    [Theory]
    [InlineData("sum", AlertAggregation.Sum)]
    [InlineData("avg", AlertAggregation.Avg)]
    [InlineData("min", AlertAggregation.Min)]
    [InlineData("max", AlertAggregation.Max)]
    [InlineData("count", AlertAggregation.Count)]
    [InlineData("p50", AlertAggregation.P50)]
    [InlineData("p95", AlertAggregation.P95)]
    [InlineData("P99", AlertAggregation.P99)]
    public void Parse_Aggregation_ReturnsValue(string text, AlertAggregation expected)
    {
        Assert.Equal(expected, EnumNames.Parse<AlertAggregation>(text, "--aggregation"));
    }

    [Theory]
    [InlineData("gt", AlertComparison.Gt)]
    [InlineData("gte", AlertComparison.Gte)]
    [InlineData("lt", AlertComparison.Lt)]
    [InlineData("LTE", AlertComparison.Lte)]
    public void Parse_Comparison_ReturnsValue(string text, AlertComparison expected)
    {
        Assert.Equal(expected, EnumNames.Parse<AlertComparison>(text, "--comparison"));
    }

    [Theory]
    [InlineData("median")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(" sum")]
    public void Parse_UnknownAggregation_ListsNames(string text)
    {
        var exception = Assert.Throws<CliException>(() => EnumNames.Parse<AlertAggregation>(text, "--aggregation"));

        Assert.Equal(
            $"Invalid value '{text}' for --aggregation: use one of sum, avg, min, max, count, p50, p95, p99.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }

    [Fact]
    public void Format_Values_AreLowercase()
    {
        Assert.Equal("p95", EnumNames.Format(AlertAggregation.P95));
        Assert.Equal("gte", EnumNames.Format(AlertComparison.Gte));
    }
}
