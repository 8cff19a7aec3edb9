using System.Diagnostics;
using MeshFlow.Cli.Tests.Infrastructure;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// Commands that need the gateway, pointed at addresses where no silo responds.
/// </summary>
public sealed class UnreachableGatewayTests
{
    [Theory]
    [InlineData("webhooks", "list")]
    [InlineData("webhooks", "show", "wh_0123456789abcdef01234567")]
    [InlineData("events", "publish", "policy_violation")]
    [InlineData("deliveries", "show", "dlv_0123456789abcdef0123456789abcdef")]
    public async Task Run_ClosedPort_NamesGateway(params string[] command)
    {
        var gateway = $"127.0.0.1:{FreePort.Next()}";

        var result = await CliRunner.RunAsync([.. command, "--gateway", gateway]);

        CliAssert.OneLineError(result, 1, $"Cannot reach the MeshFlow gateway at {gateway} within 10 s");
        Assert.Contains("Set --gateway or MESHFLOW_GATEWAY.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SilentGateway_FailsAtDeadline()
    {
        using var listener = new SilentListener();
        var gateway = $"127.0.0.1:{listener.Port}";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr) { ConnectTimeout = TimeSpan.FromSeconds(1) };
        var stopwatch = Stopwatch.StartNew();

        var exitCode = await CliApp.RunAsync(["webhooks", "list", "--gateway", gateway], context, CancellationToken.None);

        var result = new CliResult(exitCode, stdout.ToString(), stderr.ToString());
        CliAssert.OneLineError(result, 1, $"Cannot reach the MeshFlow gateway at {gateway} within 1 s");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"Took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task Run_CanceledWhileConnecting_ReportsInterrupted()
    {
        using var listener = new SilentListener();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await CliRunner.RunAsync(
            ["webhooks", "list", "--gateway", $"127.0.0.1:{listener.Port}"],
            cancellation.Token);

        CliAssert.OneLineError(result, 130, "Interrupted");
    }
}
