namespace MeshFlow.Grains;

/// <summary>
/// One HTTP attempt of a delivery.
/// </summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="StartedAt">When the request started.</param>
/// <param name="StatusCode">The HTTP status the receiver responded with, or null when no response came.</param>
/// <param name="Error">What went wrong (timeout, connection error, unexpected status), or null on success.</param>
/// <param name="DurationMs">Milliseconds from sending the request to reading the status.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.delivery-attempt")]
public sealed record DeliveryAttempt(
    [property: Id(0)] int Number,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] string? Error,
    [property: Id(4)] long DurationMs);
