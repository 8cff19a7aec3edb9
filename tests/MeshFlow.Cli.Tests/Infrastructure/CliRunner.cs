namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the CLI in-process through <see cref="CliApp"/> with captured standard output and standard error.
/// </summary>
/// <remarks>
/// The CLI reads only the environment variables that a test passes, never the process environment, so a
/// MESHFLOW_* variable in the shell that runs the tests cannot change their outcome.
/// </remarks>
public static class CliRunner
{
    /// <summary>The longest a command may run in a test before it is canceled.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> NoVariables = [];

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        return await RunAsync(args, NoVariables, timeout.Token);
    }

    public static Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(args, NoVariables, cancellationToken);

    /// <summary>Runs the CLI with <paramref name="variables"/> as its whole environment.</summary>
    public static async Task<CliResult> RunAsync(string[] args, IReadOnlyDictionary<string, string> variables)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        return await RunAsync(args, variables, timeout.Token);
    }

    /// <summary>
    /// Runs the CLI with the context that <paramref name="createContext"/> makes from the captured standard output,
    /// the captured standard error and an empty environment, for tests that change the context's settings.
    /// </summary>
    internal static async Task<CliResult> RunAsync(
        string[] args,
        Func<TextWriter, TextWriter, Func<string, string?>, CliContext> createContext)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = createContext(stdout, stderr, NoVariables.GetValueOrDefault);
        var exitCode = await CliApp.RunAsync(args, context, timeout.Token);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static async Task<CliResult> RunAsync(
        string[] args,
        IReadOnlyDictionary<string, string> variables,
        CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, name => variables.GetValueOrDefault(name));
        var exitCode = await CliApp.RunAsync(args, context, cancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
