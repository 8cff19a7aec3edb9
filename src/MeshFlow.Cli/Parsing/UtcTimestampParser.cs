using System.Globalization;

namespace MeshFlow.Cli.Parsing;

/// <summary>
/// Parses <c>metrics record --at</c>: an ISO 8601 time in UTC with an explicit <c>Z</c> or <c>+00:00</c>, such as
/// <c>2026-12-04T18:00:00Z</c>, with optional fractional seconds.
/// </summary>
/// <remarks>
/// A time without an offset is rejected rather than read in the machine's time zone, because the same command would
/// then record a different instant on machines in different zones.
/// </remarks>
internal static class UtcTimestampParser
{
    private const string Example = "2026-12-04T18:00:00Z";

    private static readonly string[] UtcFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'"];

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mmzzz"];

    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm"];

    /// <summary>
    /// Returns the instant that <paramref name="text"/> gives for <paramref name="optionName"/>, with a zero offset,
    /// or throws <see cref="CliException"/> with exit code 2 when it is not an ISO 8601 time, has no offset, or has an
    /// offset other than zero.
    /// </summary>
    public static DateTimeOffset Parse(string text, string optionName)
    {
        ArgumentNullException.ThrowIfNull(text);

        var culture = CultureInfo.InvariantCulture;
        if (DateTimeOffset.TryParseExact(text, UtcFormats, culture, DateTimeStyles.AssumeUniversal, out var utc))
        {
            return utc;
        }

        if (DateTimeOffset.TryParseExact(text, OffsetFormats, culture, DateTimeStyles.None, out var withOffset))
        {
            if (withOffset.Offset == TimeSpan.Zero)
            {
                return withOffset;
            }

            var inUtc = withOffset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", culture);
            throw new CliException(
                $"Invalid time '{text}' for {optionName}: give it in UTC, such as {inUtc} for this instant.");
        }

        if (DateTime.TryParseExact(text, LocalFormats, culture, DateTimeStyles.None, out _))
        {
            throw new CliException(
                $"Invalid time '{text}' for {optionName}: it has no time zone. Add Z to give it in UTC, such as "
                + $"{text}Z.");
        }

        throw new CliException(
            $"Invalid time '{text}' for {optionName}: use ISO 8601 in UTC, such as {Example}.");
    }
}
