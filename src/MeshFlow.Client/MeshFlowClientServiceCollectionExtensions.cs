using MeshFlow.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime.Membership;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the MeshFlow gateway client and its facades.
/// </summary>
public static class MeshFlowClientServiceCollectionExtensions
{
    // The ADO.NET invariant name under which Orleans loads the Npgsql provider.
    private const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Adds an Orleans client that finds its gateways as <see cref="MeshFlowClientOptions"/> describes (static
    /// addresses, or the cluster's membership table in PostgreSQL), and registers <see cref="WebhookManager"/>,
    /// <see cref="EventPublisher"/>, <see cref="WebhookReliableDeliverer"/>, <see cref="DeliveryTracker"/>,
    /// <see cref="AlertEngine"/> and <see cref="MetricStore"/> as singletons. The options are validated when the host
    /// starts. The client connects when the host starts, and a plain host start is not bounded by <see cref="MeshFlowClientOptions.ConnectTimeout"/>, so use
    /// <see cref="MeshFlowClientHost"/> or pass a cancellation token to <c>IHost.StartAsync</c> to bound it.
    /// </summary>
    public static IServiceCollection AddMeshFlowClient(
        this IServiceCollection services,
        Action<MeshFlowClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<MeshFlowClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<MeshFlowClientOptions>, MeshFlowClientOptionsValidator>());

        // Orleans 10 retries a failed gateway connection with linear backoff by default, so a refused connection
        // would take the whole connect deadline to report. Failing on the first error reports it at once, and the
        // caller's deadline still bounds a gateway that accepts the connection and never responds.
        services.AddOrleansClient(client => client.UseConnectionRetryFilter(static (_, _) => Task.FromResult(false)));

        services.AddOptions<ClusterOptions>().Configure<IOptions<MeshFlowClientOptions>>((cluster, meshFlow) =>
        {
            cluster.ClusterId = meshFlow.Value.ClusterId;
            cluster.ServiceId = meshFlow.Value.ServiceId;
        });
        AddGatewayListProviders(services);

        services.TryAddSingleton<WebhookManager>();
        services.TryAddSingleton<EventPublisher>();
        services.TryAddSingleton<WebhookReliableDeliverer>();
        services.TryAddSingleton<DeliveryTracker>();
        services.TryAddSingleton<AlertEngine>();
        services.TryAddSingleton<MetricStore>();
        return services;
    }

    // Registers both Orleans gateway list providers and picks one when the client first asks for it, because the
    // choice depends on MeshFlowClientOptions, which are only final once the service provider is built. The
    // providers' own option validators are left out: MeshFlowClientOptionsValidator checks the same settings.
    private static void AddGatewayListProviders(IServiceCollection services)
    {
        services.AddOptions<StaticGatewayListProviderOptions>()
            .Configure<IOptions<MeshFlowClientOptions>>(ConfigureStaticGateways);
        services.AddOptions<AdoNetClusteringClientOptions>()
            .Configure<IOptions<MeshFlowClientOptions>>(ConfigureDatabase);

        services.TryAddSingleton<StaticGatewayListProvider>();
        services.TryAddSingleton<AdoNetGatewayListProvider>();
        services.TryAddSingleton<DatabaseGatewayListProvider>();
        services.AddSingleton<IGatewayListProvider>(provider =>
            provider.GetRequiredService<IOptions<MeshFlowClientOptions>>().Value.ReadsGatewaysFromDatabase
                ? provider.GetRequiredService<DatabaseGatewayListProvider>()
                : provider.GetRequiredService<StaticGatewayListProvider>());
    }

    private static void ConfigureStaticGateways(
        StaticGatewayListProviderOptions gatewayOptions,
        IOptions<MeshFlowClientOptions> meshFlowOptions)
    {
        gatewayOptions.Gateways = [.. meshFlowOptions.Value.StaticGateways.Select(ToGatewayUri)];
    }

    private static void ConfigureDatabase(
        AdoNetClusteringClientOptions databaseOptions,
        IOptions<MeshFlowClientOptions> meshFlowOptions)
    {
        databaseOptions.Invariant = NpgsqlInvariant;
        databaseOptions.ConnectionString = meshFlowOptions.Value.ConnectionString;
    }

    // Orleans reads static gateways as gwy.tcp://address:port/generation URIs and accepts only IP addresses there,
    // so host names are resolved here.
    private static Uri ToGatewayUri(string gateway)
    {
        var endPoint = GatewayAddress.Parse(gateway).ResolveEndPoint();
        return new Uri($"gwy.tcp://{endPoint}/0");
    }
}
