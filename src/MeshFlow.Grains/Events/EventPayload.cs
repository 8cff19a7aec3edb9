using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeshFlow.Grains.Events;

/// <summary>
/// Builds the JSON body of a governance event: <c>event</c>, <c>run_id</c>, <c>node_id</c>, <c>tenant_id</c>,
/// <c>timestamp</c>, <c>reason</c>, <c>rule_name</c> in that order, missing values as null, then the extension
/// field <c>event_id</c>.
/// </summary>
public static class EventPayload
{
    /// <summary>The timestamp format: UTC to the second, such as 2026-05-30T14:23:01Z.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ssZ";

    // Text in the Basic Multilingual Plane (accents, CJK) stays as UTF-8. The relaxed encoder still writes characters
    // outside it, such as emoji, as \u escape pairs. Receivers verify the raw bytes either way.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Serializes <paramref name="governanceEvent"/> for <paramref name="tenantId"/> to UTF-8 JSON.</summary>
    /// <param name="tenantId">The tenant the event belongs to.</param>
    /// <param name="governanceEvent">The event; its <see cref="GovernanceEvent.EventId"/> must be set.</param>
    /// <param name="timestamp">The event's time, written in UTC to the second.</param>
    public static byte[] Serialize(string tenantId, GovernanceEvent governanceEvent, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(governanceEvent);

        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("event", governanceEvent.EventType);
            WriteNullable(writer, "run_id", governanceEvent.RunId);
            WriteNullable(writer, "node_id", governanceEvent.NodeId);
            writer.WriteString("tenant_id", tenantId);
            writer.WriteString(
                "timestamp",
                timestamp.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture));
            WriteNullable(writer, "reason", governanceEvent.Reason);
            WriteNullable(writer, "rule_name", governanceEvent.RuleName);
            WriteNullable(writer, "event_id", governanceEvent.EventId);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
