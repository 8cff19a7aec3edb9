using Microsoft.Extensions.Logging;

namespace MeshFlow.Grains.Alerts;

internal sealed partial class AlertRuleGrain
{
    [LoggerMessage(EventId = 1401, EventName = "AlertRuleConfigured", Level = LogLevel.Information,
        Message = "Alert rule {RuleName} of tenant {TenantId} set on metric {Metric} (replaced: {Replaced})")]
    private static partial void LogConfigured(ILogger logger, string tenantId, string ruleName, string metric, bool replaced);

    [LoggerMessage(EventId = 1402, EventName = "AlertRuleRemoved", Level = LogLevel.Information,
        Message = "Alert rule {RuleName} of tenant {TenantId} removed")]
    private static partial void LogRemoved(ILogger logger, string tenantId, string ruleName);

    [LoggerMessage(EventId = 1403, EventName = "AlertNotificationQueued", Level = LogLevel.Information,
        Message = "Alert {AlertId} of rule {RuleName}, tenant {TenantId}: {Kind} notification queued")]
    private static partial void LogNotificationQueued(
        ILogger logger,
        string tenantId,
        string ruleName,
        string alertId,
        AlertNotificationKind kind);

    [LoggerMessage(EventId = 1404, EventName = "AlertResolvedDropped", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: notification {EventId} not sent, because the firing delivery {FiringDeliveryId} "
            + "and any repeats of its alert failed for good")]
    private static partial void LogResolvedDropped(ILogger logger, string tenantId, string eventId, string firingDeliveryId);

    [LoggerMessage(EventId = 1405, EventName = "AlertFlushFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: could not hand alert notifications of {GrainKey} to delivery; retrying at the next evaluation")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string tenantId, string grainKey);

    [LoggerMessage(EventId = 1406, EventName = "AlertEvaluationFailed", Level = LogLevel.Error,
        Message = "Evaluation of {GrainKey} failed; it runs again at the next interval")]
    private static partial void LogEvaluationFailed(ILogger logger, Exception exception, string grainKey);
}
