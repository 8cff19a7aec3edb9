namespace MeshFlow.Cli;

/// <summary>
/// Process exit codes of the <c>meshflow</c> command.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command succeeded.</summary>
    public const int Success = 0;

    /// <summary>
    /// A webhook, delivery or alert rule was not found, a metric sample was rejected, the gateway or the database was
    /// unreachable, or a service call or migration failed.
    /// </summary>
    public const int Failure = 1;

    /// <summary>The command line or a value in it was invalid.</summary>
    public const int Usage = 2;

    /// <summary>The command was interrupted with Ctrl+C, following the shell convention of 128 + SIGINT.</summary>
    public const int Interrupted = 130;
}
