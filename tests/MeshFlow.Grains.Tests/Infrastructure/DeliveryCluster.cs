using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Delivery;
using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Core.Internal;
using Orleans.TestingHost;

namespace MeshFlow.Grains.Tests.Infrastructure;

/// <summary>
/// An in-process Orleans cluster running the MeshFlow grains on memory storage, with one fake clock driving both
/// the application's scheduling and the reminder service. Orleans' other clocks and HTTP timeouts stay real.
/// </summary>
public sealed class DeliveryCluster : IAsyncDisposable
{
    /// <summary>The keyed-service key under which Orleans' reminder service reads its clock.</summary>
    public const string ReminderClockKey = "Orleans.Reminders";

    private DeliveryCluster(InProcessTestCluster cluster, FakeTimeProvider clock)
    {
        Cluster = cluster;
        Clock = clock;
    }

    public InProcessTestCluster Cluster { get; }

    public FakeTimeProvider Clock { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>
    /// How long after an attempt is due the delivery grain's reminder fires. It mirrors the private constant in
    /// <c>DeliveryGrain</c>, so tests know how far to move the clock for a retry.
    /// </summary>
    public static readonly TimeSpan ReminderGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Moves the fake clock forward in steps of <paramref name="step"/> (one second unless given), so reminders
    /// due on the way fire in order, and yields between steps so their ticks can run.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan span, TimeSpan? step = null)
    {
        var maxStep = step ?? TimeSpan.FromSeconds(1);
        var end = Clock.GetUtcNow() + span;
        while (Clock.GetUtcNow() < end)
        {
            var remaining = end - Clock.GetUtcNow();
            Clock.Advance(remaining < maxStep ? remaining : maxStep);
            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Moves the fake clock to one second after the reminder fires for the next attempt recorded in
    /// <paramref name="info"/>.
    /// </summary>
    public async Task AdvancePastNextAttemptAsync(DeliveryInfo info, TimeSpan? step = null)
    {
        var nextAttemptAt = info.NextAttemptAt
            ?? throw new InvalidOperationException(
                $"Delivery {info.Id} has no next attempt because its status is {info.Status}.");

        // A status query can see the recorded attempt before the grain has re-registered its reminder. Moving the
        // clock first would let that registration start from the moved clock, so wait for it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await ReadReminderAsync(info.Id))?.StartAt < nextAttemptAt.UtcDateTime && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var span = nextAttemptAt + ReminderGrace + TimeSpan.FromSeconds(1) - Clock.GetUtcNow();
        await AdvanceAsync(span, step);
    }

    public static async Task<DeliveryCluster> StartAsync(
        Action<DeliveryOptions>? configure = null,
        short silos = 1,
        Action<AlertOptions>? configureAlerts = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderClockKey, clock);
            silo.Services.AddKeyedSingleton<TimeProvider>(MeshFlowClock.ServiceKey, clock);
            silo.AddMeshFlowMemoryStorage();
            silo.AddMeshFlowGrains();
            if (Environment.GetEnvironmentVariable("MESHFLOW_TEST_LOGS") == "1")
            {
                silo.Services.AddLogging(logging => logging
                    .AddConsole()
                    .SetMinimumLevel(LogLevel.Debug)
                    .AddFilter("Orleans", LogLevel.Information));
            }
            silo.Services.Configure<DeliveryOptions>(options =>
            {
                // Short attempts keep the timeout test quick; the backoffs stay at their defaults and fake time
                // moves past them.
                options.AttemptTimeout = TimeSpan.FromSeconds(2);
                configure?.Invoke(options);
            });
            if (configureAlerts is not null)
            {
                silo.Services.Configure(configureAlerts);
            }
        });

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new DeliveryCluster(cluster, clock);
    }

    public ITenantGrain Tenant(string tenantId) => Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenantId));

    public IAlertRegistryGrain Alerts(string tenantId) => Client.GetGrain<IAlertRegistryGrain>(GrainKeys.AlertRegistry(tenantId));

    public IMetricIngressGrain Metrics(string tenantId) => Client.GetGrain<IMetricIngressGrain>(GrainKeys.MetricIngress(tenantId));

    public IDeliveryGrain Delivery(string deliveryId) => Client.GetGrain<IDeliveryGrain>(GrainKeys.Delivery(deliveryId));

    public IAlertRuleGrain Rule(string tenantId, string ruleName) =>
        Client.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(tenantId, ruleName));

    /// <summary>
    /// Deactivates the grain's current activation, as activation collection or a silo shutdown would. The next call
    /// to the grain creates a new activation, which reads its state from storage.
    /// </summary>
    public static async Task DeactivateAsync(IAddressable grain) =>
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

    public Task<PublishResult> PublishAsync(string tenantId, GovernanceEvent governanceEvent)
    {
        var withId = governanceEvent.EventId is null
            ? governanceEvent with { EventId = GrainKeys.NewEventId() }
            : governanceEvent;
        return Client.GetGrain<IEventGrain>(GrainKeys.Event(tenantId, withId.EventId!)).PublishAsync(withId);
    }

    /// <summary>Reads the delivery's durable wake-up from the reminder table, or null when none is stored.</summary>
    public async Task<ReminderEntry?> ReadReminderAsync(string deliveryId)
    {
        var table = Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        return await table.ReadRow(Delivery(deliveryId).GetGrainId(), DeliveryGrain.ReminderName);
    }

    /// <summary>Polls the delivery until <paramref name="condition"/> holds, within a bounded real-time wait.</summary>
    public async Task<DeliveryInfo> WaitForAsync(
        string tenantId,
        string deliveryId,
        Func<DeliveryInfo, bool> condition,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var info = await Delivery(deliveryId).GetAsync(tenantId);
            if (condition(info))
            {
                return info;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Delivery {deliveryId} did not reach the expected state; last status {info.Status}, "
                    + $"{info.Attempts.Count} attempts.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until the delivery that sent <paramref name="request"/>, named by its delivery id header, has finished.
    /// </summary>
    public Task<DeliveryInfo> WaitForFinishedAsync(string tenantId, ReceivedRequest request)
    {
        var deliveryId = request.Header(WebhookHeaders.Delivery)
            ?? throw new InvalidOperationException($"The request has no {WebhookHeaders.Delivery} header.");
        return WaitForAsync(tenantId, deliveryId, info => info.Status != DeliveryStatus.Pending);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
