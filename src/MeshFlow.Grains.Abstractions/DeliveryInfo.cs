namespace MeshFlow.Grains;

/// <summary>
/// The status of one delivery and its attempts.
/// </summary>
/// <param name="Id">The delivery id, also sent as <c>X-MeshFlow-Delivery</c>.</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="WebhookId">The webhook it goes to, or null for an ad-hoc send.</param>
/// <param name="Url">The receiving URL.</param>
/// <param name="EventType">The event type, or null for an ad-hoc payload without an <c>event</c> field.</param>
/// <param name="EventId">The published event id, or null for an ad-hoc send.</param>
/// <param name="Status">Pending, succeeded or failed.</param>
/// <param name="Attempts">Every attempt so far, oldest first.</param>
/// <param name="NextAttemptAt">When the next attempt is due, or null once finished.</param>
/// <param name="AcceptedAt">When the service accepted the delivery.</param>
/// <param name="CompletedAt">When it succeeded or failed for good, or null while pending.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.delivery-info")]
public sealed record DeliveryInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string? WebhookId,
    [property: Id(3)] string Url,
    [property: Id(4)] string? EventType,
    [property: Id(5)] string? EventId,
    [property: Id(6)] DeliveryStatus Status,
    [property: Id(7)] IReadOnlyList<DeliveryAttempt> Attempts,
    [property: Id(8)] DateTimeOffset? NextAttemptAt,
    [property: Id(9)] DateTimeOffset AcceptedAt,
    [property: Id(10)] DateTimeOffset? CompletedAt);
