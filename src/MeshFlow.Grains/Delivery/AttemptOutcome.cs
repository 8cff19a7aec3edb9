namespace MeshFlow.Grains.Delivery;

/// <summary>
/// What one HTTP attempt produced.
/// </summary>
/// <param name="StatusCode">The status the receiver responded with, or null when no response came.</param>
/// <param name="Error">Why no response came (timeout, connection error), or null when one did.</param>
/// <param name="RetryAfter">The receiver's Retry-After as a delay from the end of the attempt, or null.</param>
/// <param name="Duration">Time from sending the request to reading the status line.</param>
public sealed record AttemptOutcome(int? StatusCode, string? Error, TimeSpan? RetryAfter, TimeSpan Duration);
