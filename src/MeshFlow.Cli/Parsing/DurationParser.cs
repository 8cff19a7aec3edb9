using System.Globalization;

namespace MeshFlow.Cli.Parsing;

/// <summary>
/// Parses the duration options of <c>alerts add</c>: a whole number of seconds, optionally followed by the unit
/// <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>, such as <c>90</c>, <c>90s</c>, <c>5m</c>, <c>1h</c> or <c>1d</c>.
/// </summary>
/// <remarks>
/// Only the syntax is checked here. The ranges, such as a window of 1 second to one day or a pending duration that
/// may be 0, are checked by <see cref="Grains.Alerts.AlertRule.Validate"/>, so the CLI and the grains reject a value
/// with the same message.
/// </remarks>
internal static class DurationParser
{
    /// <summary>The accepted syntax, for help text and error messages.</summary>
    public const string Syntax = "seconds, or a whole number with the unit s, m, h or d, such as 90, 90s, 5m or 1h";

    /// <summary>
    /// Returns the number of seconds that <paramref name="text"/> gives for <paramref name="optionName"/>, or throws
    /// <see cref="CliException"/> with exit code 2 when it is not a whole non-negative duration or is longer than
    /// <see cref="int.MaxValue"/> seconds.
    /// </summary>
    public static int ParseSeconds(string text, string optionName)
    {
        ArgumentNullException.ThrowIfNull(text);

        var (digits, unitSeconds) = SplitUnit(text);
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw new CliException($"Invalid duration '{text}' for {optionName}: use whole {Syntax}.");
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count > int.MaxValue / unitSeconds)
        {
            throw new CliException(
                $"Invalid duration '{text}' for {optionName}: it is longer than {int.MaxValue} seconds. "
                + "Give a shorter duration, such as 1h.");
        }

        return (int)(count * unitSeconds);
    }

    private static (string Digits, int UnitSeconds) SplitUnit(string text)
    {
        if (text.Length > 0 && UnitSeconds(text[^1]) is { } seconds)
        {
            return (text[..^1], seconds);
        }

        return (text, 1);
    }

    private static int? UnitSeconds(char unit) => unit switch
    {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => null,
    };
}
