namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The span of time a sliding window has observed, so callers can tell a quiet metric from a window that started
/// recently.
/// </summary>
/// <param name="ObservedSince">The start of observation: the creation time given to the window, or else its first accepted sample.</param>
/// <param name="Window">The window length.</param>
public readonly record struct WindowCoverage(DateTimeOffset ObservedSince, TimeSpan Window)
{
    /// <summary>
    /// Tests whether at least one full window length has passed between <see cref="ObservedSince"/> and
    /// <paramref name="now"/>.
    /// </summary>
    public bool HasFullWindow(DateTimeOffset now)
    {
        return now - ObservedSince >= Window;
    }
}
