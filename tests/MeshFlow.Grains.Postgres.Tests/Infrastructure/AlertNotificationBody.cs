using System.Globalization;
using System.Text.Json;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>The fields of an alert notification's JSON body that the tests check.</summary>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="AlertId">The episode's alert id, shared by its firing and resolved notifications.</param>
/// <param name="RuleName">The rule that sent it.</param>
/// <param name="Value">The window aggregate, or null for an empty window.</param>
/// <param name="ResolvedAt">When the alert resolved, or null in a firing notification.</param>
public sealed record AlertNotificationBody(
    string Status,
    string AlertId,
    string RuleName,
    double? Value,
    DateTimeOffset? ResolvedAt)
{
    public static AlertNotificationBody Parse(ReceivedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        var value = root.GetProperty("value");
        var resolvedAt = root.GetProperty("resolved_at");
        return new AlertNotificationBody(
            root.GetProperty("status").GetString()!,
            root.GetProperty("alert_id").GetString()!,
            root.GetProperty("rule_name").GetString()!,
            value.ValueKind == JsonValueKind.Null ? null : value.GetDouble(),
            resolvedAt.ValueKind == JsonValueKind.Null
                ? null
                : DateTimeOffset.Parse(resolvedAt.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }
}
