namespace MeshFlow.Grains;

/// <summary>
/// A registered webhook as returned to callers; the secret is never part of it.
/// </summary>
/// <param name="Id">The generated webhook id, <c>wh_</c> followed by 24 hex digits.</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Url">The receiving URL.</param>
/// <param name="Events">Subscribed event types, or '*'.</param>
/// <param name="Description">Optional text for operators.</param>
/// <param name="Enabled">Whether new events are delivered to it.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="DisabledReason">Why the service disabled it, such as a 410 Gone response, or null when enabled.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.webhook")]
public sealed record Webhook(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Url,
    [property: Id(3)] IReadOnlyList<string> Events,
    [property: Id(4)] string? Description,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] string? DisabledReason);
