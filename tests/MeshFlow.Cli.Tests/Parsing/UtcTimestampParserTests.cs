using MeshFlow.Cli.Parsing;

namespace MeshFlow.Cli.Tests.Parsing;

public sealed class UtcTimestampParserTests
{
    private static readonly DateTimeOffset SixPm = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-04T18:00:00Z")]
    [InlineData("2026-12-04T18:00Z")]
    [InlineData("2026-12-04T18:00:00.000Z")]
    [InlineData("2026-12-04T18:00:00+00:00")]
    [InlineData("2026-12-04T18:00:00-00:00")]
    public void Parse_Utc_ReturnsInstant(string text)
    {
        var instant = UtcTimestampParser.Parse(text, "--at");

        Assert.Equal(SixPm, instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Fact]
    public void Parse_FractionalSeconds_KeepsThem()
    {
        var instant = UtcTimestampParser.Parse("2026-12-04T18:00:00.1234567Z", "--at");

        Assert.Equal(SixPm.AddTicks(1_234_567), instant);
    }

    [Theory]
    [InlineData("2026-12-04T18:00:00")]
    [InlineData("2026-12-04T18:00")]
    [InlineData("2026-12-04T18:00:00.5")]
    public void Parse_NoOffset_AsksForZ(string text)
    {
        var exception = Assert.Throws<CliException>(() => UtcTimestampParser.Parse(text, "--at"));

        Assert.Equal(
            $"Invalid time '{text}' for --at: it has no time zone. Add Z to give it in UTC, such as {text}Z.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }

    [Fact]
    public void Parse_OtherOffset_SuggestsUtcInstant()
    {
        var exception = Assert.Throws<CliException>(
            () => UtcTimestampParser.Parse("2026-12-04T20:00:00+02:00", "--at"));

        Assert.Equal(
            "Invalid time '2026-12-04T20:00:00+02:00' for --at: give it in UTC, such as 2026-12-04T18:00:00Z for this "
            + "instant.",
            exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("now")]
    [InlineData("2026-12-04")]
    [InlineData("2026-12-04 18:00:00Z")]
    [InlineData("2026-13-04T18:00:00Z")]
    [InlineData("2026-12-04T25:00:00Z")]
    [InlineData("04/12/2026 18:00")]
    [InlineData("1764871200")]
    public void Parse_NotIso8601_ShowsExample(string text)
    {
        var exception = Assert.Throws<CliException>(() => UtcTimestampParser.Parse(text, "--at"));

        Assert.Equal(
            $"Invalid time '{text}' for --at: use ISO 8601 in UTC, such as 2026-12-04T18:00:00Z.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }
}
