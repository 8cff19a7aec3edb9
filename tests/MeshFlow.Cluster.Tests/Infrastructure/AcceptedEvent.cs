namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>An event whose publish call returned its delivery ids.</summary>
/// <param name="EventId">The event id, the same on every try.</param>
/// <param name="DeliveryIds">The delivery ids the successful call returned.</param>
/// <param name="AcceptedAt">When that call returned, measured from the start of the run.</param>
/// <param name="Tries">How many publish calls it took, the successful one included.</param>
public sealed record AcceptedEvent(string EventId, IReadOnlyList<string> DeliveryIds, TimeSpan AcceptedAt, int Tries);
