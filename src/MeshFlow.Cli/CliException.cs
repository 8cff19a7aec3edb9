namespace MeshFlow.Cli;

/// <summary>
/// A failure that the CLI reports as one line on standard error with the given exit code.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException()
        : this("The command failed.")
    {
    }

    public CliException(string message)
        : this(message, ExitCodes.Usage)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Usage;
    }

    public CliException(string message, int exitCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code to return, one of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; }
}
