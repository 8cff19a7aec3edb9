using System.Globalization;
using MeshFlow.Grains;
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

    /// <summary>Names a migration script like its file without the extension, such as <c>0003_clustering</c>.</summary>
    public static string ScriptName(MigrationScript script) =>
        string.Create(CultureInfo.InvariantCulture, $"{script.Version:D4}_{script.Name}");
}
