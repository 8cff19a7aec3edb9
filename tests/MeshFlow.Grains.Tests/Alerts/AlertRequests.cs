using System.Globalization;
using System.Text.Json;

namespace MeshFlow.Grains.Tests.Alerts;

/// <summary>Reads alert notification requests captured by <see cref="TestReceiver"/>.</summary>
internal static class AlertRequests
{
    // Mirrors the private delivery namespace of AlertRuleGrain. Tests that rely on it also compare one derived id
    // with a received X-MeshFlow-Delivery header, so a wrong mirror fails instead of passing vacuously.
    private const string DeliveryNamespace = "alert-rule";

    /// <summary>
    /// Returns the delivery id of one notification. The kind is "firing", "resolved" or "repeat-{unix seconds}".
    /// </summary>
    public static string DeliveryId(string tenantId, string alertId, string kind) =>
        GrainKeys.DeliveryIdFor(tenantId, alertId + ":" + kind, DeliveryNamespace);

    /// <summary>Formats a time as the payload does: UTC to the second.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static JsonElement Body(ReceivedRequest request)
    {
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    public static string Status(ReceivedRequest request) => Body(request).GetProperty("status").GetString()!;

    public static string AlertId(ReceivedRequest request) => Body(request).GetProperty("alert_id").GetString()!;
}
