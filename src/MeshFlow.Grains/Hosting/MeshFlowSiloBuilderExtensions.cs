using System.Net;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace MeshFlow.Grains.Hosting;

/// <summary>
/// Registers the MeshFlow grains' services on a silo. The host adds grain storage named
/// <see cref="StorageNames.Store"/> and a reminder service.
/// </summary>
public static class MeshFlowSiloBuilderExtensions
{
    /// <summary>
    /// Adds the delivery and alert options (bound from <c>MeshFlow:Delivery</c> and <c>MeshFlow:Alerts</c>, validated at start), the HTTP sender and
    /// the application clock, unless a clock keyed <see cref="MeshFlowClock.ServiceKey"/> is already registered.
    /// </summary>
    public static ISiloBuilder AddMeshFlowGrains(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AlertOptions>()
            .BindConfiguration(AlertOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddKeyedSingleton(MeshFlowClock.ServiceKey, TimeProvider.System);
        services.TryAddSingleton<MeshFlowMetrics>();
        services.TryAddSingleton<IWebhookSender, WebhookSender>();

        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect is a failed attempt: following one could turn the POST into a bodyless GET.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            });

        services.AddResiliencePipeline(WebhookSender.ClientName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<DeliveryOptions>>();
            pipeline.AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = _ => ValueTask.FromResult(options.CurrentValue.AttemptTimeout),
            });
        });

        return builder;
    }

    /// <summary>
    /// Adds in-memory grain storage named <see cref="StorageNames.Store"/>, with state stored as JSON, and the
    /// in-memory reminder service. Both live on the silos: a silo that stops loses what it held.
    /// </summary>
    public static ISiloBuilder AddMeshFlowMemoryStorage(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddMemoryGrainStorage(
            StorageNames.Store,
            options => options.GrainStorageSerializer = new StateJsonSerializer());
        builder.UseInMemoryReminderService();
        return builder;
    }
}
