using MeshFlow.Cli.Parsing;

namespace MeshFlow.Cli.Tests.Parsing;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1d", 86_400)]
    [InlineData("0", 0)]
    [InlineData("0m", 0)]
    [InlineData("007", 7)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("24855d", 24_855 * 86_400)]
    public void ParseSeconds_ValidDuration_ReturnsSeconds(string text, int expected)
    {
        var seconds = DurationParser.ParseSeconds(text, "--window");

        Assert.Equal(expected, seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("-5")]
    [InlineData("-5m")]
    [InlineData("+5")]
    [InlineData("1.5m")]
    [InlineData("5 m")]
    [InlineData(" 5")]
    [InlineData("5M")]
    [InlineData("5ms")]
    [InlineData("1w")]
    [InlineData("1h30m")]
    [InlineData("PT5M")]
    [InlineData("five")]
    [InlineData("٥")]
    public void ParseSeconds_Garbage_NamesValueAndSyntax(string text)
    {
        var exception = Assert.Throws<CliException>(() => DurationParser.ParseSeconds(text, "--window"));

        Assert.Equal(
            $"Invalid duration '{text}' for --window: use whole seconds, or a whole number with the unit s, m, h or d, "
            + "such as 90, 90s, 5m or 1h.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("24856d")]
    [InlineData("35791395m")]
    [InlineData("99999999999999999999999h")]
    public void ParseSeconds_Overflow_RejectsAsTooLong(string text)
    {
        var exception = Assert.Throws<CliException>(() => DurationParser.ParseSeconds(text, "--repeat"));

        Assert.Equal(
            $"Invalid duration '{text}' for --repeat: it is longer than 2147483647 seconds. Give a shorter duration, "
            + "such as 1h.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }
}
