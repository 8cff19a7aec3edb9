using System.Globalization;
using MeshFlow.Cli.Parsing;

namespace MeshFlow.Cli.Tests.Parsing;

public sealed class NumberParserTests
{
    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("1.0", 1.0)]
    [InlineData("0.42", 0.42)]
    [InlineData("-2", -2.0)]
    [InlineData("+3.5", 3.5)]
    [InlineData("2.5e-3", 0.0025)]
    [InlineData("1E3", 1000.0)]
    [InlineData(".5", 0.5)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    public void ParseFinite_Number_ReturnsValue(string text, double expected)
    {
        var value = NumberParser.ParseFinite(text, "--threshold");

        Assert.Equal(expected, value);
    }

    [Fact]
    public void ParseFinite_OtherCulture_StillUsesPoint()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var value = NumberParser.ParseFinite("1.5", "--threshold");

            Assert.Equal(1.5, value);
            Assert.Throws<CliException>(() => NumberParser.ParseFinite("1,5", "--threshold"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("infinity")]
    public void ParseFinite_NonFinite_Rejects(string text)
    {
        var exception = Assert.Throws<CliException>(() => NumberParser.ParseFinite(text, "--threshold"));

        Assert.Equal(
            $"Invalid --threshold '{text}': use a finite number, such as 1.5. NaN and infinities are not accepted.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e400")]
    public void ParseFinite_Overflow_RejectsAsBeyondRange(string text)
    {
        var exception = Assert.Throws<CliException>(() => NumberParser.ParseFinite(text, "metric value"));

        Assert.Equal(
            $"Invalid metric value '{text}': it is beyond the range of a double, about -1.8e308 to 1.8e308. "
            + "Use a smaller number.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("∞")]
    [InlineData("-∞")]
    [InlineData("1,5")]
    [InlineData("1,000")]
    [InlineData("0x10")]
    [InlineData("1_000")]
    [InlineData("one")]
    [InlineData("5%")]
    public void ParseFinite_NotANumber_NamesValueAndFormat(string text)
    {
        var exception = Assert.Throws<CliException>(() => NumberParser.ParseFinite(text, "--threshold"));

        Assert.Equal(
            $"Invalid --threshold '{text}': use a number with '.' as the decimal separator, such as 1.5, -2 or 2.5e-3.",
            exception.Message);
        Assert.Equal(ExitCodes.Usage, exception.ExitCode);
    }
}
