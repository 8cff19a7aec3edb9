namespace MeshFlow.Grains.Delivery;

/// <summary>
/// The next step of a delivery after an attempt.
/// </summary>
/// <param name="Kind">Done, failed for good, or retry.</param>
/// <param name="Delay">How long to wait before the next attempt when <paramref name="Kind"/> is retry.</param>
/// <param name="Error">The error recorded on the attempt, or null on success.</param>
public sealed record DeliveryDecision(DeliveryDecisionKind Kind, TimeSpan? Delay, string? Error);
