using System.Diagnostics;

namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>
/// One silo run as its own process from the built app (<c>dotnet silo/MeshFlow.Silo.dll</c> below the test output
/// folder, where the project file copies it).
/// Its standard output and error go to files line by line as they arrive, so the files keep everything up to a
/// SIGKILL.
/// </summary>
/// <remarks>
/// The app is started directly, not through <c>dotnet run</c>, because killing <c>dotnet run</c> leaves the app it
/// started running and holding its ports.
/// </remarks>
public sealed class SiloProcess : IAsyncDisposable
{
    private const string ReadyText = "MeshFlow silo ready";

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StreamWriter _standardOutput;
    private readonly StreamWriter _standardError;
    private readonly Lock _outputLock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _outputClosed;

    private SiloProcess(Process process, string standardOutputPath, string standardErrorPath)
    {
        _process = process;
        StandardOutputPath = standardOutputPath;
        StandardErrorPath = standardErrorPath;
        _standardOutput = new StreamWriter(OpenLog(standardOutputPath)) { AutoFlush = true };
        _standardError = new StreamWriter(OpenLog(standardErrorPath)) { AutoFlush = true };
    }

    /// <summary>The silo app that every process runs.</summary>
    public static string AppPath { get; } = Path.Combine(AppContext.BaseDirectory, "silo", "MeshFlow.Silo.dll");

    /// <summary>The file that receives the silo's standard output.</summary>
    public string StandardOutputPath { get; }

    /// <summary>The file that receives the silo's standard error.</summary>
    public string StandardErrorPath { get; }

    /// <summary>Starts the silo with <paramref name="arguments"/>, writing its output to files named after
    /// <paramref name="logName"/> in <paramref name="logDirectory"/>.</summary>
    public static SiloProcess Start(string logName, string logDirectory, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = logDirectory,
        };
        info.ArgumentList.Add(AppPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var silo = new SiloProcess(
            process,
            Path.Combine(logDirectory, logName + ".stdout.log"),
            Path.Combine(logDirectory, logName + ".stderr.log"));
        process.OutputDataReceived += (_, e) => silo.OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => silo.OnOutput(e.Data, isError: true);
        try
        {
            process.Start();
        }
        catch
        {
            silo.CloseOutput();
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>
    /// Waits until the silo logs its ready line, which it does once it has joined the cluster. Throws when the
    /// process exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (finished == _ready.Task)
        {
            return;
        }

        var reason = finished == exited
            ? $"exited with code {_process.ExitCode} before it was ready"
            : $"did not log '{ReadyText}' within {timeout.TotalSeconds:0} s";
        throw new InvalidOperationException(
            $"The silo {reason}. Its output is in {StandardOutputPath} and {StandardErrorPath}. Last error lines:\n"
            + ReadTail(StandardErrorPath, 20));
    }

    /// <summary>
    /// Sends SIGKILL to the silo process itself, as a crash or an out-of-memory kill would, and waits until it is
    /// gone. The silo gets no chance to leave the cluster.
    /// </summary>
    public async Task KillAsync()
    {
        // Process.Kill() without entireProcessTree sends SIGKILL to this process only.
        _process.Kill();
        using var deadline = new CancellationTokenSource(ExitTimeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>Kills the silo if it still runs, waits a bounded time for it to exit and closes the log files.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(ExitTimeout);
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // A process still alive 15 s after SIGKILL is left to the operating system.
        }
        catch (InvalidOperationException)
        {
            // The process never started, so there is nothing to kill.
        }
        finally
        {
            CloseOutput();
            _process.Dispose();
        }
    }

    /// <summary>Returns the last <paramref name="lineCount"/> lines of a log file that may still be written to.</summary>
    public static string ReadTail(string path, int lineCount)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.TakeLast(lineCount));
    }

    private static FileStream OpenLog(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);

    private void OnOutput(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            if (!_outputClosed)
            {
                (isError ? _standardError : _standardOutput).WriteLine(line);
            }
        }

        if (!isError && line.Contains(ReadyText, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private void CloseOutput()
    {
        lock (_outputLock)
        {
            if (_outputClosed)
            {
                return;
            }

            _outputClosed = true;
            _standardOutput.Dispose();
            _standardError.Dispose();
        }
    }
}
