using System.Diagnostics;
using System.Text;

namespace MeshFlow.Silo.Tests;

/// <summary>
/// Runs the built silo (<c>dotnet MeshFlow.Silo.dll</c>) as a child process and captures its output.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process)
    {
        _process = process;
    }

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static SiloProcess Start(params string[] args)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "MeshFlow.Silo.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(silo);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A silo started without ports gets free ones, so a development silo on the default ports cannot make it
        // fail for the wrong reason.
        if (!args.Any(arg => arg.Contains("Port=", StringComparison.Ordinal) && arg.StartsWith("--MeshFlow:", StringComparison.Ordinal)))
        {
            info.ArgumentList.Add($"--MeshFlow:SiloPort={FreePort.Next()}");
            info.ArgumentList.Add($"--MeshFlow:GatewayPort={FreePort.Next()}");
        }

        var process = new Process { StartInfo = info };
        var handle = new SiloProcess(process);
        process.OutputDataReceived += (_, e) => handle.Append(handle._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => handle.Append(handle._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handle;
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (finished != _ready.Task)
        {
            throw new TimeoutException(
                $"The silo did not log its ready line within {timeout}. Output:\n{StandardOutput}\n{StandardError}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);

        // The parameterless wait also drains the redirected output.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }

        if (line.Contains("MeshFlow silo ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
