namespace MeshFlow.Grains.Delivery;

/// <summary>
/// Exponential backoff with jitter between delivery attempts.
/// </summary>
public static class RetrySchedule
{
    /// <summary>The jitter applied to each delay: plus or minus 20 %.</summary>
    public const double JitterFraction = 0.2;

    /// <summary>
    /// Computes the delay after the given failed attempt: <c>InitialBackoff * BackoffMultiplier^(n - 1)</c>, scaled by
    /// a factor between 0.8 and 1.2 and capped at <c>MaxBackoff</c>.
    /// </summary>
    /// <param name="failedAttempt">The number of the attempt that just failed, starting at 1.</param>
    /// <param name="options">The retry policy.</param>
    /// <param name="jitterSample">A uniform sample in [0, 1); 0.5 means no jitter.</param>
    public static TimeSpan ComputeBackoff(int failedAttempt, DeliveryOptions options, double jitterSample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitterSample, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitterSample, 1.0);

        // Computed in double seconds and capped before jitter, so large attempt numbers cannot overflow TimeSpan.
        var maxSeconds = options.MaxBackoff.TotalSeconds;
        var baseSeconds = options.InitialBackoff.TotalSeconds * Math.Pow(options.BackoffMultiplier, failedAttempt - 1);
        var cappedSeconds = Math.Min(baseSeconds, maxSeconds);
        var factor = 1.0 + (JitterFraction * ((2.0 * jitterSample) - 1.0));
        return TimeSpan.FromSeconds(Math.Min(cappedSeconds * factor, maxSeconds));
    }
}
