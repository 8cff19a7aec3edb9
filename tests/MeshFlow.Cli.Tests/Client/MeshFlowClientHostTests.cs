using System.Diagnostics;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using Microsoft.Extensions.Options;

namespace MeshFlow.Cli.Tests.Client;

public sealed class MeshFlowClientHostTests
{
    [Fact]
    public async Task ConnectAsync_ClosedPort_ThrowsConnectionException()
    {
        var gateway = $"127.0.0.1:{FreePort.Next()}";
        var options = new MeshFlowClientOptions { Gateways = [gateway] };

        var exception = await Assert.ThrowsAsync<MeshFlowConnectionException>(
            () => MeshFlowClientHost.ConnectAsync(options));

        Assert.Contains(gateway, exception.Message, StringComparison.Ordinal);
        Assert.Equal([gateway], exception.Gateways);
    }

    [Fact]
    public async Task ConnectAsync_SilentGateway_ThrowsAtDeadline()
    {
        using var listener = new SilentListener();
        var options = new MeshFlowClientOptions
        {
            Gateways = [$"127.0.0.1:{listener.Port}"],
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
        };
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<MeshFlowConnectionException>(
            () => MeshFlowClientHost.ConnectAsync(options));

        Assert.Contains("within 0.5 s", exception.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Took {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task ConnectAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var listener = new SilentListener();
        var options = new MeshFlowClientOptions { Gateways = [$"127.0.0.1:{listener.Port}"] };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => MeshFlowClientHost.ConnectAsync(options, cancellation.Token));
    }

    [Fact]
    public async Task ConnectAsync_InvalidOptions_ListsEveryError()
    {
        var options = new MeshFlowClientOptions
        {
            Gateways = ["nope", "127.0.0.1:0"],
            ClusterId = " ",
            ConnectTimeout = TimeSpan.Zero,
        };

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => MeshFlowClientHost.ConnectAsync(options));

        Assert.Equal(4, exception.Failures.Count());
        Assert.Contains(exception.Failures, failure => failure.Contains("'nope'", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.Contains("'127.0.0.1:0'", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.Contains("ClusterId", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.Contains("ConnectTimeout", StringComparison.Ordinal));
    }
}
