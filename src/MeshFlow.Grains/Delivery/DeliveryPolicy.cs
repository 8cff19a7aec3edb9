using System.Net;

namespace MeshFlow.Grains.Delivery;

/// <summary>
/// Maps an attempt's outcome to the delivery's next step: 2xx succeeds, 410 fails for good, 429 and 503 wait for
/// Retry-After when it is longer than the backoff (capped at MaxBackoff), and anything else, 3xx included, retries
/// with backoff.
/// </summary>
public static class DeliveryPolicy
{
    /// <summary>Decides what follows attempt number <paramref name="attemptNumber"/>.</summary>
    /// <param name="outcome">What the attempt produced.</param>
    /// <param name="attemptNumber">The attempt's number, starting at 1.</param>
    /// <param name="options">The retry policy.</param>
    /// <param name="jitterSample">A uniform sample in [0, 1) for the backoff jitter.</param>
    public static DeliveryDecision Decide(
        AttemptOutcome outcome,
        int attemptNumber,
        DeliveryOptions options,
        double jitterSample)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(options);

        var status = outcome.StatusCode;
        if (status is >= 200 and <= 299)
        {
            return new DeliveryDecision(DeliveryDecisionKind.Succeeded, null, null);
        }

        var error = DescribeFailure(outcome);
        if (status == (int)HttpStatusCode.Gone)
        {
            return new DeliveryDecision(DeliveryDecisionKind.Gone, null, error);
        }

        if (attemptNumber > options.MaxRetries)
        {
            return new DeliveryDecision(DeliveryDecisionKind.Exhausted, null, error);
        }

        // Retry-After only ever lengthens the wait: a value of 0 or a date in the past must not spend the retry
        // budget in a burst against a receiver that just reported it is overloaded.
        var backoff = RetrySchedule.ComputeBackoff(attemptNumber, options, jitterSample);
        var honoursRetryAfter = status is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable;
        var delay = honoursRetryAfter && outcome.RetryAfter is { } retryAfter && retryAfter > backoff
            ? (retryAfter > options.MaxBackoff ? options.MaxBackoff : retryAfter)
            : backoff;
        return new DeliveryDecision(DeliveryDecisionKind.Retry, delay, error);
    }

    private static string DescribeFailure(AttemptOutcome outcome)
    {
        if (outcome.StatusCode is not { } status)
        {
            return outcome.Error ?? "no response";
        }

        if (status is >= 300 and <= 399)
        {
            return $"HTTP {status}: redirects are not followed; register the final URL";
        }

        return status == (int)HttpStatusCode.Gone
            ? "HTTP 410: the receiver is gone"
            : $"HTTP {status}";
    }
}
