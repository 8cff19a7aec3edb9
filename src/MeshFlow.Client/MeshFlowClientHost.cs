using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFlow.Client;

/// <summary>
/// A connected MeshFlow client for console apps and scripts: a small host that runs the Orleans client from
/// <see cref="MeshFlowClientServiceCollectionExtensions.AddMeshFlowClient"/> and exposes its facades. Dispose it
/// to close the connection.
/// </summary>
public sealed partial class MeshFlowClientHost : IAsyncDisposable
{
    // Bounds the graceful close so that disposing never hangs on a gateway that stopped responding.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly IHost host;
    private readonly ILogger<MeshFlowClientHost> logger;
    private int disposed;

    private MeshFlowClientHost(IHost host, IReadOnlyList<string> gateways)
    {
        this.host = host;
        Gateways = gateways;
        logger = host.Services.GetRequiredService<ILogger<MeshFlowClientHost>>();
        Webhooks = host.Services.GetRequiredService<WebhookManager>();
        Events = host.Services.GetRequiredService<EventPublisher>();
        Deliverer = host.Services.GetRequiredService<WebhookReliableDeliverer>();
        Deliveries = host.Services.GetRequiredService<DeliveryTracker>();
    }

    /// <summary>The gateway addresses this client was configured with, as <c>host:port</c> strings.</summary>
    public IReadOnlyList<string> Gateways { get; }

    /// <summary>Webhook registration and management.</summary>
    public WebhookManager Webhooks { get; }

    /// <summary>Governance event publishing.</summary>
    public EventPublisher Events { get; }

    /// <summary>Ad-hoc signed sends without a registered webhook.</summary>
    public WebhookReliableDeliverer Deliverer { get; }

    /// <summary>Delivery status lookups.</summary>
    public DeliveryTracker Deliveries { get; }

    /// <summary>The host's services, including the Orleans <c>IClusterClient</c>.</summary>
    public IServiceProvider Services => host.Services;

    /// <summary>
    /// Connects to the gateways in <paramref name="options"/> and returns the connected client.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting in <paramref name="options"/> is invalid.</exception>
    /// <exception cref="MeshFlowConnectionException">
    /// No gateway accepted the connection before <see cref="MeshFlowClientOptions.ConnectTimeout"/> passed, or every
    /// gateway refused it.
    /// </exception>
    /// <remarks>
    /// Measured with Orleans 10.4.2 on a 2-core Linux VM, by connecting in a loop in one process: a refused port
    /// fails after about 0.3 s (1 to 2 s for the first connection in a process). A listener that accepts the TCP
    /// connection and never responds fails after about 5.2 s, which is Orleans' default
    /// <c>ConnectionOptions.OpenConnectionTimeout</c> of 5 s, or at <see cref="MeshFlowClientOptions.ConnectTimeout"/>
    /// when that is shorter (2.0 s with a 2 s timeout).
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static Task<MeshFlowClientHost> ConnectAsync(
        MeshFlowClientOptions options,
        CancellationToken cancellationToken = default) =>
        ConnectAsync(options, configureServices: null, cancellationToken);

    /// <summary>
    /// Connects like <see cref="ConnectAsync(MeshFlowClientOptions, CancellationToken)"/>, after letting
    /// <paramref name="configureServices"/> add services such as logging providers. The host has no logging
    /// provider unless one is added here.
    /// </summary>
    public static async Task<MeshFlowClientHost> ConnectAsync(
        MeshFlowClientOptions options,
        Action<IServiceCollection>? configureServices,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        var validation = new MeshFlowClientOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MeshFlowClientOptions), validation.Failures);
        }

        var gateways = options.Gateways.ToArray();
        var host = BuildHost(options, configureServices);
        await StartWithDeadlineAsync(host, gateways, options.ConnectTimeout, cancellationToken);

        var connected = new MeshFlowClientHost(host, gateways);
        LogConnected(connected.logger, gateways, options.ClusterId);
        return connected;
    }

    /// <summary>Closes the connection, waiting at most 5 seconds for a graceful close, and disposes the host.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await StopAndDisposeAsync(host, logger);
    }

    private static IHost BuildHost(MeshFlowClientOptions options, Action<IServiceCollection>? configureServices)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddMeshFlowClient(target =>
        {
            target.Gateways = [.. options.Gateways];
            target.ClusterId = options.ClusterId;
            target.ServiceId = options.ServiceId;
            target.ConnectTimeout = options.ConnectTimeout;
        });
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    private static async Task StartWithDeadlineAsync(
        IHost host,
        IReadOnlyList<string> gateways,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var logger = host.Services.GetRequiredService<ILogger<MeshFlowClientHost>>();
        try
        {
            // WaitAsync returns at the deadline even if a start step does not observe the token.
            await host.StartAsync(linked.Token).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAndDisposeAsync(host, logger);
            throw new MeshFlowConnectionException(DescribeFailure(gateways, timeout), gateways);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            await StopAndDisposeAsync(host, logger);
            throw new MeshFlowConnectionException(DescribeFailure(gateways, timeout), gateways, exception);
        }
        catch (Exception)
        {
            await StopAndDisposeAsync(host, logger);
            throw;
        }
    }

    // Orleans reports a refused or dropped gateway connection as an OrleansException subtype
    // (SiloUnavailableException, ConnectionFailedException) or as a socket error.
    private static bool IsConnectionFailure(Exception exception) =>
        exception is OrleansException or System.Net.Sockets.SocketException or TimeoutException
            or System.IO.IOException;

    private static string DescribeFailure(IReadOnlyList<string> gateways, TimeSpan timeout)
    {
        var noun = gateways.Count == 1 ? "gateway" : "gateways";
        var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return $"Cannot reach the MeshFlow {noun} at {string.Join(", ", gateways)} within {seconds} s: "
            + "is a silo running there?";
    }

    private static async Task StopAndDisposeAsync(IHost host, ILogger logger)
    {
        try
        {
            using var stopDeadline = new CancellationTokenSource(StopTimeout);
            await host.StopAsync(stopDeadline.Token).WaitAsync(stopDeadline.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or OrleansException
            or ObjectDisposedException or InvalidOperationException)
        {
            LogStopFailed(logger, exception);
        }

        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
