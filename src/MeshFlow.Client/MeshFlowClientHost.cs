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
        Alerts = host.Services.GetRequiredService<AlertEngine>();
        Metrics = host.Services.GetRequiredService<MetricStore>();
    }

    /// <summary>
    /// The gateway addresses this client was configured with, or the ones it read from the database when it
    /// connected, as <c>host:port</c> strings.
    /// </summary>
    public IReadOnlyList<string> Gateways { get; }

    /// <summary>Webhook registration and management.</summary>
    public WebhookManager Webhooks { get; }

    /// <summary>Governance event publishing.</summary>
    public EventPublisher Events { get; }

    /// <summary>Ad-hoc signed sends without a registered webhook.</summary>
    public WebhookReliableDeliverer Deliverer { get; }

    /// <summary>Delivery status lookups.</summary>
    public DeliveryTracker Deliveries { get; }

    /// <summary>Alert rule management and evaluation.</summary>
    public AlertEngine Alerts { get; }

    /// <summary>Metric recording for alert rules.</summary>
    public MetricStore Metrics { get; }

    /// <summary>The host's services, including the Orleans <c>IClusterClient</c>.</summary>
    public IServiceProvider Services => host.Services;

    /// <summary>
    /// Connects to the gateways in <paramref name="options"/>, or to the gateways its cluster lists in the database,
    /// and returns the connected client.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting in <paramref name="options"/> is invalid.</exception>
    /// <exception cref="MeshFlowConnectionException">
    /// No gateway accepted the connection before <see cref="MeshFlowClientOptions.ConnectTimeout"/> passed, or every
    /// gateway refused it. With <see cref="MeshFlowClientOptions.ConnectionString"/>, also when the database cannot be
    /// read or lists no live gateway for the cluster; the message then names the cluster id and the database host.
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

        var host = BuildHost(options, configureServices);
        await StartWithDeadlineAsync(host, options, cancellationToken);

        var gateways = options.ReadsGatewaysFromDatabase
            ? host.Services.GetRequiredService<DatabaseGatewayListProvider>().LastGateways ?? []
            : options.StaticGateways;
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
            target.Gateways = [.. options.Gateways ?? []];
            target.ConnectionString = options.ConnectionString;
            target.ClusterId = options.ClusterId;
            target.ServiceId = options.ServiceId;
            target.ConnectTimeout = options.ConnectTimeout;
        });
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    private static async Task StartWithDeadlineAsync(
        IHost host,
        MeshFlowClientOptions options,
        CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.ConnectTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var logger = host.Services.GetRequiredService<ILogger<MeshFlowClientHost>>();
        try
        {
            // WaitAsync returns at the deadline even if a start step does not observe the token.
            await host.StartAsync(linked.Token).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = ConnectFailure.Describe(host.Services, options, cause: null);
            await StopAndDisposeAsync(host, logger);
            throw failure;
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            var failure = ConnectFailure.Describe(host.Services, options, exception);
            await StopAndDisposeAsync(host, logger);
            throw failure;
        }
        catch (Exception)
        {
            await StopAndDisposeAsync(host, logger);
            throw;
        }
    }

    // Orleans 10.4.2 reports a refused or dropped gateway connection and an empty gateway list as an OrleansException
    // subtype (SiloUnavailableException, ConnectionFailedException) or as a socket error. A database error from the
    // ADO.NET gateway list provider reaches the caller unwrapped, as a DbException.
    private static bool IsConnectionFailure(Exception exception) =>
        exception is OrleansException or System.Net.Sockets.SocketException or TimeoutException
            or System.IO.IOException or System.Data.Common.DbException;

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
