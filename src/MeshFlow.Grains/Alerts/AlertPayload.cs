using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MeshFlow.Grains.Events;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Builds the JSON body of an alert notification: the seven fields of every event (<c>event</c>, <c>run_id</c>,
/// <c>node_id</c>, <c>tenant_id</c>, <c>timestamp</c>, <c>reason</c>, <c>rule_name</c>), then <c>status</c>,
/// <c>metric</c>, <c>value</c>, <c>threshold</c>, <c>window_seconds</c>, <c>aggregation</c>, <c>started_at</c>,
/// <c>resolved_at</c> and <c>alert_id</c>, in that order.
/// </summary>
public static class AlertPayload
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Serializes one notification of <paramref name="rule"/> to UTF-8 JSON.</summary>
    /// <param name="tenantId">The tenant that owns the rule.</param>
    /// <param name="rule">The rule that produced the notification.</param>
    /// <param name="notification">The notification.</param>
    /// <param name="reason">The human-readable reason, such as "agent.cost_usd sum over 60 s = 1.25 &gt; 1.0".</param>
    /// <param name="timestamp">The time of the evaluation that produced it.</param>
    public static byte[] Serialize(
        string tenantId,
        AlertRule rule,
        AlertNotification notification,
        string reason,
        DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(notification);

        using var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("event", rule.Event);
            writer.WriteNull("run_id");
            writer.WriteNull("node_id");
            writer.WriteString("tenant_id", tenantId);
            writer.WriteString("timestamp", FormatTime(timestamp));
            writer.WriteString("reason", reason);
            writer.WriteString("rule_name", rule.Name);
            writer.WriteString("status", notification.Kind == AlertNotificationKind.Resolved ? "resolved" : "firing");
            writer.WriteString("metric", rule.Metric);
            if (notification.Value is { } value)
            {
                writer.WriteNumber("value", value);
            }
            else
            {
                writer.WriteNull("value");
            }

            writer.WriteNumber("threshold", rule.Threshold);
            writer.WriteNumber("window_seconds", rule.WindowSeconds);
            writer.WriteString("aggregation", AlertText.Name(rule.Aggregation));
            writer.WriteString("started_at", FormatTime(notification.StartsAt));
            if (notification.EndsAt is { } endsAt)
            {
                writer.WriteString("resolved_at", FormatTime(endsAt));
            }
            else
            {
                writer.WriteNull("resolved_at");
            }

            writer.WriteString("alert_id", notification.AlertId);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(EventPayload.TimestampFormat, CultureInfo.InvariantCulture);
}
