namespace MeshFlow.Grains;

/// <summary>
/// The outcome of publishing an event: its id and one delivery id per matching webhook.
/// </summary>
/// <param name="EventId">The event id, generated when the caller gave none.</param>
/// <param name="DeliveryIds">One id per matching webhook; empty when no webhook matches.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.publish-result")]
public sealed record PublishResult(
    [property: Id(0)] string EventId,
    [property: Id(1)] IReadOnlyList<string> DeliveryIds);
