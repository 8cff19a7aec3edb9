namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>Checks shared by the CLI error tests.</summary>
public static class CliAssert
{
    /// <summary>
    /// Asserts that the run failed with <paramref name="exitCode"/>, printed nothing on standard output, and printed
    /// exactly one line on standard error that contains <paramref name="expected"/> and no stack frame.
    /// </summary>
    public static void OneLineError(CliResult result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
