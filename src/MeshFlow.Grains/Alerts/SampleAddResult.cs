namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The outcome of <see cref="SlidingWindow.Add"/>.
/// </summary>
public enum SampleAddResult
{
    /// <summary>The sample was stored in its bucket.</summary>
    Accepted = 0,

    /// <summary>The value was NaN or an infinity.</summary>
    RejectedNotFinite,

    /// <summary>The timestamp was at or before <c>now - window - SlidingWindow.LatenessHorizon</c>.</summary>
    RejectedTooLate,

    /// <summary>The timestamp was more than <c>SlidingWindow.MaxClockSkew</c> after <c>now</c>.</summary>
    RejectedFuture,
}
