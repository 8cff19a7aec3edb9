using Microsoft.Extensions.Logging;

namespace MeshFlow.Grains.Delivery;

internal sealed partial class DeliveryGrain
{
    [LoggerMessage(EventId = 1201, EventName = "DeliveryAccepted", Level = LogLevel.Information,
        Message = "Delivery {DeliveryId} accepted for tenant {TenantId}, webhook {WebhookId}, {Url}")]
    private static partial void LogAccepted(ILogger logger, string deliveryId, string tenantId, string? webhookId, string url);

    [LoggerMessage(EventId = 1202, EventName = "DeliverySucceeded", Level = LogLevel.Information,
        Message = "Delivery {DeliveryId} succeeded on attempt {Attempt} with HTTP {StatusCode}")]
    private static partial void LogSucceeded(ILogger logger, string deliveryId, int attempt, int statusCode);

    [LoggerMessage(EventId = 1203, EventName = "DeliveryRetryScheduled", Level = LogLevel.Warning,
        Message = "Delivery {DeliveryId} attempt {Attempt} failed ({Error}); next attempt at {NextAttemptAt:o}")]
    private static partial void LogRetryScheduled(
        ILogger logger,
        string deliveryId,
        int attempt,
        string? error,
        DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 1204, EventName = "DeliveryFailed", Level = LogLevel.Error,
        Message = "Delivery {DeliveryId} failed for good after attempt {Attempt}: {Error}")]
    private static partial void LogFailed(ILogger logger, string deliveryId, int attempt, string? error);

    [LoggerMessage(EventId = 1205, EventName = "DeliveryWakeUpNotDue", Level = LogLevel.Debug,
        Message = "Delivery {DeliveryId}: wake-up ignored (from reminder: {FromReminder}), next attempt is due at {DueAt:o}")]
    private static partial void LogWakeUpNotDue(ILogger logger, string deliveryId, bool fromReminder, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 1206, EventName = "DeliveryAttemptCrashed", Level = LogLevel.Error,
        Message = "Delivery {DeliveryId}: the attempt threw; counting it as failed")]
    private static partial void LogAttemptCrashed(ILogger logger, Exception exception, string deliveryId);
}
