using System.Globalization;

namespace MeshFlow.Cli.Parsing;

/// <summary>
/// Parses the numbers of <c>alerts add --threshold</c> and <c>metrics record</c> in the invariant culture, so
/// <c>1.5</c> means the same on every machine and <c>1,5</c> is rejected.
/// </summary>
internal static class NumberParser
{
    /// <summary>
    /// Returns the finite number that <paramref name="text"/> gives for <paramref name="name"/>, or throws
    /// <see cref="CliException"/> with exit code 2 for text that is not a number, for NaN and infinities, and for
    /// numbers beyond the range of a <see cref="double"/>, such as <c>1e999</c>.
    /// </summary>
    public static double ParseFinite(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new CliException(
                $"Invalid {name} '{text}': use a number with '.' as the decimal separator, such as 1.5, -2 or 2.5e-3.");
        }

        if (double.IsNaN(value) || text.Contains("inf", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException(
                $"Invalid {name} '{text}': use a finite number, such as 1.5. NaN and infinities are not accepted.");
        }

        // .NET parses a number beyond the range of a double as an infinity instead of failing.
        if (double.IsInfinity(value))
        {
            throw new CliException(
                $"Invalid {name} '{text}': it is beyond the range of a double, about -1.8e308 to 1.8e308. "
                + "Use a smaller number.");
        }

        return value;
    }
}
