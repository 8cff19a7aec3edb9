using System.Runtime.InteropServices;
using MeshFlow.Cli;

using var cancellation = new CancellationTokenSource();

// Ctrl+C and SIGTERM cancel the running command instead of killing the process, so the listener and the
// client connection close cleanly.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

return await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
