namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="CliApp.RunAsync(string[], TextWriter, TextWriter, CancellationToken)"/> in-process with captured standard output and standard error.
/// </summary>
public static class CliRunner
{
    /// <summary>The longest a command may run in a test before it is canceled.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        return await RunAsync(args, timeout.Token);
    }

    public static async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, cancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
