using System.CommandLine;
using MeshFlow.Client;
using MeshFlow.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Cli;

/// <summary>
/// What every command action shares: the output writers, the global options, and the mapping from exceptions to
/// one line on standard error and an exit code.
/// </summary>
internal sealed class CliContext
{
    /// <summary>
    /// Creates the context. <paramref name="readVariable"/> reads environment variables and defaults to the process
    /// environment. Tests pass their own, so they never change the process environment.
    /// </summary>
    public CliContext(TextWriter stdout, TextWriter stderr, Func<string, string?>? readVariable = null)
    {
        Out = stdout;
        Error = stderr;
        Global = new GlobalOptions(readVariable ?? Environment.GetEnvironmentVariable);
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public GlobalOptions Global { get; }

    /// <summary>The clock for timestamps that the CLI itself takes.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The deadline for reaching the gateway.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The pause before a read command repeats a call whose silo stopped responding, so that the second call does not
    /// start in the same instant. It is far shorter than the time the cluster takes to declare a killed silo dead.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan ReadRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Adds or replaces services of each client host before it connects. Tests use it to inject failures.
    /// </summary>
    public Action<IServiceCollection>? ConfigureClientServices { get; init; }

    /// <summary>Sets <paramref name="action"/> as the command's action, reporting its failures as one line.</summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task> action) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, cancellationToken));

    /// <summary>
    /// Connects to the gateways of <paramref name="source"/>, throwing <see cref="CliException"/> with exit code 1
    /// within <see cref="ConnectTimeout"/> when the gateways cannot be found or none responds.
    /// </summary>
    public async Task<MeshFlowClientHost> ConnectAsync(GatewaySource source, CancellationToken cancellationToken)
    {
        try
        {
            return await MeshFlowClientHost.ConnectAsync(
                source.ToClientOptions(ConnectTimeout),
                ConfigureClientServices,
                cancellationToken);
        }
        catch (MeshFlowConnectionException exception)
        {
            throw new CliException($"{exception.Message} {source.Fix}", ExitCodes.Failure, exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/>, a call that changes nothing in the service, and runs it once more after
    /// <see cref="ReadRetryDelay"/> when the silo handling it stopped responding or the cluster rejected it. A second
    /// failure reaches the caller. Commands that change state never use this, because a call that failed this way
    /// may still have taken effect.
    /// </summary>
    public async Task<T> ReadWithRetryAsync<T>(
        Func<CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        try
        {
            return await read(cancellationToken);
        }
        catch (Exception exception) when (SiloFailure.FindCause(exception) is { } cause)
        {
            WriteError(SiloFailure.Describe(cause, "retrying once."));
        }

        await Task.Delay(ReadRetryDelay, Time, cancellationToken);
        return await read(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="change"/>, a call that changes state in the service, once and never again. When the silo handling
    /// it stopped responding or the cluster rejected it, throws <see cref="CliException"/> with exit code 1 that ends
    /// with <paramref name="nextStep"/>, because the change may have taken effect anyway.
    /// </summary>
    public static async Task<T> ChangeOnceAsync<T>(Func<Task<T>> change, string nextStep)
    {
        try
        {
            return await change();
        }
        catch (Exception exception) when (SiloFailure.FindCause(exception) is { } cause)
        {
            throw new CliException(SiloFailure.Describe(cause, nextStep), ExitCodes.Failure, exception);
        }
    }

    /// <summary>Writes one error line to standard error, joining the lines of a multi-line message.</summary>
    public void WriteError(string message) => Error.WriteLine(ToOneLine(message));

    private async Task<int> RunAsync(
        ParseResult parseResult,
        Func<ParseResult, CancellationToken, Task> action,
        CancellationToken cancellationToken)
    {
        try
        {
            await action(parseResult, cancellationToken);
            return ExitCodes.Success;
        }
        catch (CliException exception)
        {
            WriteError(exception.Message);
            return exception.ExitCode;
        }
        catch (MeshFlowValidationException exception)
        {
            WriteError(exception.Message);
            return ExitCodes.Usage;
        }
        catch (MeshFlowNotFoundException exception)
        {
            WriteError(exception.Message);
            return ExitCodes.Failure;
        }
        catch (MeshFlowConnectionException exception)
        {
            WriteError($"{exception.Message} Set --gateway or {GlobalOptions.GatewayVariable}.");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteError("Interrupted before the command finished.");
            return ExitCodes.Interrupted;
        }
        catch (Exception exception) when (SiloFailure.FindCause(exception) is { } cause)
        {
            WriteError(SiloFailure.Describe(cause, SiloFailure.RetryHint));
            return ExitCodes.Failure;
        }
        catch (TimeoutException exception)
        {
            WriteError($"The MeshFlow service call timed out: {exception.Message}");
            return ExitCodes.Failure;
        }
        catch (OrleansException exception)
        {
            WriteError($"The MeshFlow service call failed: {exception.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception exception)
        {
            // An error the service did not expect, such as a bug in a grain, still gets one line and exit code 1.
            WriteError(
                $"The MeshFlow service call failed with an unexpected {exception.GetType().Name}: {exception.Message} "
                + "Check the silo log for details.");
            return ExitCodes.Failure;
        }
    }

    // Drops stack frames that some exception messages embed, so the user sees the reason on one line.
    private static string ToOneLine(string message)
    {
        var lines = message
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("at ", StringComparison.Ordinal));
        return string.Join(' ', lines);
    }
}
