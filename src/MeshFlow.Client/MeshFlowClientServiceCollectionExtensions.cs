using MeshFlow.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the MeshFlow gateway client and its facades.
/// </summary>
public static class MeshFlowClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Orleans client that connects to the gateways in <see cref="MeshFlowClientOptions"/> with static
    /// clustering, and registers <see cref="WebhookManager"/>, <see cref="EventPublisher"/>,
    /// <see cref="WebhookReliableDeliverer"/> and <see cref="DeliveryTracker"/> as singletons. The options are
    /// validated when the host starts. The client connects when the host starts, and a plain host start is not bounded by
    /// <see cref="MeshFlowClientOptions.ConnectTimeout"/>, so use <see cref="MeshFlowClientHost"/> or pass a
    /// cancellation token to <c>IHost.StartAsync</c> to bound it.
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
        services.AddOrleansClient(client => client
            .UseStaticClustering(
                (OptionsBuilder<StaticGatewayListProviderOptions> gatewayOptions) =>
                    gatewayOptions.Configure<IOptions<MeshFlowClientOptions>>(ConfigureGateways))
            .UseConnectionRetryFilter(static (_, _) => Task.FromResult(false)));

        services.AddOptions<ClusterOptions>().Configure<IOptions<MeshFlowClientOptions>>((cluster, meshFlow) =>
        {
            cluster.ClusterId = meshFlow.Value.ClusterId;
            cluster.ServiceId = meshFlow.Value.ServiceId;
        });

        services.TryAddSingleton<WebhookManager>();
        services.TryAddSingleton<EventPublisher>();
        services.TryAddSingleton<WebhookReliableDeliverer>();
        services.TryAddSingleton<DeliveryTracker>();
        return services;
    }

    private static void ConfigureGateways(
        StaticGatewayListProviderOptions gatewayOptions,
        IOptions<MeshFlowClientOptions> meshFlowOptions)
    {
        gatewayOptions.Gateways = [.. meshFlowOptions.Value.Gateways.Select(ToGatewayUri)];
    }

    // Orleans reads static gateways as gwy.tcp://address:port/generation URIs and accepts only IP addresses there,
    // so host names are resolved here.
    private static Uri ToGatewayUri(string gateway)
    {
        var endPoint = GatewayAddress.Parse(gateway).ResolveEndPoint();
        return new Uri($"gwy.tcp://{endPoint}/0");
    }
}
