namespace MeshFlow.Cli.Parsing;

/// <summary>
/// The lowercase names of enum values, such as <c>sum</c> and <c>p95</c>, which the CLI accepts in options and
/// prints in its output.
/// </summary>
internal static class EnumNames
{
    /// <summary>Returns the lowercase name of <paramref name="value"/>.</summary>
    public static string Format<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        value.ToString().ToLowerInvariant();

    /// <summary>
    /// Returns the value named <paramref name="text"/>, ignoring case, or throws <see cref="CliException"/> with exit
    /// code 2 that lists the names <paramref name="optionName"/> accepts. Numbers are rejected, although
    /// <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> would accept them.
    /// </summary>
    public static TEnum Parse<TEnum>(string text, string optionName)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(text);

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Format(value), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var names = string.Join(", ", Enum.GetValues<TEnum>().Select(Format));
        throw new CliException($"Invalid value '{text}' for {optionName}: use one of {names}.");
    }
}
