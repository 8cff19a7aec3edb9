using System.Globalization;
using System.Text;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Postgres;

namespace MeshFlow.Cli.Output;

/// <summary>
/// Formats shared by the text and JSON output.
/// </summary>
internal static class OutputFormat
{
    /// <summary>Formats a timestamp as ISO 8601 in UTC with milliseconds, such as 2026-05-30T14:23:01.000Z.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns the lowercase status name: pending, succeeded or failed.</summary>
    public static string Status(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Succeeded => "succeeded",
        DeliveryStatus.Failed => "failed",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Returns the lowercase alert state: inactive, pending or firing. A rule that resolved at this evaluation is
    /// inactive, as <see cref="AlertEvaluation.State"/> documents.
    /// </summary>
    public static string AlertState(AlertStatus status) => status switch
    {
        AlertStatus.Inactive or AlertStatus.Resolved => "inactive",
        AlertStatus.Pending => "pending",
        AlertStatus.Firing => "firing",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Replaces each control character, and the Unicode line and paragraph separators, with a C-style escape:
    /// <c>\n</c>, <c>\r</c>, <c>\t</c>, or <c>\uXXXX</c> for the others. Other text, including a backslash, is
    /// unchanged, so the result is for reading and not for parsing back.
    /// </summary>
    public static string EscapeControlCharacters(string text)
    {
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n':
                    escaped.Append("\\n");
                    break;
                case '\r':
                    escaped.Append("\\r");
                    break;
                case '\t':
                    escaped.Append("\\t");
                    break;
                case var other when NeedsEscape(other):
                    escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)other:X4}");
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>Names a migration script like its file without the extension, such as <c>0003_clustering</c>.</summary>
    public static string ScriptName(MigrationScript script) =>
        string.Create(CultureInfo.InvariantCulture, $"{script.Version:D4}_{script.Name}");

    // Terminals move the cursor on C0 and C1 control characters and may break lines at U+2028 and U+2029.
    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
