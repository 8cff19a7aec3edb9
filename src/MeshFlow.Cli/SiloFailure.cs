using Orleans.Runtime.Messaging;

namespace MeshFlow.Cli;

/// <summary>
/// Recognizes a service call that failed because the silo handling it stopped responding, for example after its
/// process was killed, and describes that failure in one short line.
/// </summary>
/// <remarks>
/// Orleans 10.4.2 reports a lost silo as <see cref="ConnectionFailedException"/> or
/// <see cref="SiloUnavailableException"/>, and a call that the cluster rejects as another
/// <see cref="OrleansMessageRejectionException"/>. Any of them may be the outer exception or an inner one.
/// NOTE: the CLI tests inject these exceptions in the client instead of killing a silo process, so whether the one
/// repeated read succeeds after a real SIGKILL is unmeasured.
/// </remarks>
internal static class SiloFailure
{
    // NOTE: "about a minute" is an estimate. With Orleans' default membership settings, the surviving silos declare
    // a killed silo dead after several missed probes, which takes seconds to tens of seconds.

    /// <summary>The next step after a failed call that is safe to repeat.</summary>
    public const string RetryHint =
        "retry the command: the cluster moves the work to a live silo within about a minute.";

    /// <summary>
    /// Returns the exception in the chain of <paramref name="exception"/> that shows a lost silo or a rejected
    /// call, preferring the most specific one, or null when the call failed for another reason.
    /// </summary>
    public static Exception? FindCause(Exception exception)
    {
        Exception? rejection = null;
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is ConnectionFailedException or SiloUnavailableException)
            {
                return current;
            }

            rejection ??= current as OrleansMessageRejectionException;
        }

        return rejection;
    }

    /// <summary>
    /// Describes <paramref name="cause"/>, as returned by <see cref="FindCause"/>, by its type name followed by
    /// <paramref name="nextStep"/>, leaving out the Orleans message, which spans several lines of internal details.
    /// </summary>
    public static string Describe(Exception cause, string nextStep)
    {
        var summary = cause is ConnectionFailedException or SiloUnavailableException
            ? "The silo handling this call stopped responding"
            : "The cluster rejected this call";
        return $"{summary} ({cause.GetType().Name}); {nextStep}";
    }
}
