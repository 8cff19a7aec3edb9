using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Grains.Events;

/// <summary>
/// A digest of the fields a caller sets on an event. It separates a retry of a publish from a second, different event
/// published under the same event id.
/// </summary>
public static class EventFingerprint
{
    /// <summary>
    /// Returns the lowercase hex SHA-256 of the event type, run id, node id, reason, rule name and, when the caller
    /// gave one, the timestamp to the second. The event id itself is not part of it.
    /// </summary>
    public static string Compute(GovernanceEvent governanceEvent)
    {
        ArgumentNullException.ThrowIfNull(governanceEvent);

        var timestamp = governanceEvent.Timestamp?.UtcDateTime.ToString(
            EventPayload.TimestampFormat,
            CultureInfo.InvariantCulture);
        string?[] fields =
        [
            governanceEvent.EventType,
            governanceEvent.RunId,
            governanceEvent.NodeId,
            governanceEvent.Reason,
            governanceEvent.RuleName,
            timestamp,
        ];

        // Each field is length-prefixed, with -1 for null, so no two different events share an encoding.
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            text.Append(field?.Length ?? -1).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
