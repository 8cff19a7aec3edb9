using System.Collections.Concurrent;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Delivery;
using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>
/// Several in-process silos whose grain state and reminders live in PostgreSQL (the product's ADO.NET wiring),
/// with one fake clock shared by every silo for both the application's scheduling and the reminder service.
/// Membership, messaging and the grain directory are the test cluster's own in-memory ones, because
/// <see cref="PostgresCluster"/> already covers clustering on PostgreSQL. Grain timers run on the fake clock only
/// when a test requests it. Orleans' other clocks and HTTP timeouts stay real.
/// </summary>
public sealed class InProcessPostgresCluster : IAsyncDisposable
{
    /// <summary>The keyed-service key under which Orleans' reminder service reads its clock.</summary>
    public const string ReminderClockKey = "Orleans.Reminders";

    /// <summary>The keyed-service key under which Orleans' grain timer registry reads its clock (Orleans 10.4.2).</summary>
    public const string GrainTimerClockKey = "Orleans.Grains";

    /// <summary>The name of the delivery grain's reminder, as in <c>DeliveryGrain</c>.</summary>
    public const string DeliveryReminderName = "next-attempt";

    /// <summary>The name of an alert rule grain's keep-alive reminder, as in <c>AlertRuleGrain</c>.</summary>
    public const string AlertReminderName = "alert-keep-alive";

    /// <summary>The alert rule grain's keep-alive reminder period, as in <c>AlertRuleGrain</c>.</summary>
    public static readonly TimeSpan AlertReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often an alert rule grain's timer evaluates the rule, with the default options.</summary>
    public static readonly TimeSpan AlertEvaluationInterval = new AlertOptions().EvaluationInterval;

    /// <summary>How long after an attempt is due its reminder fires, as in <c>DeliveryGrain</c>.</summary>
    public static readonly TimeSpan ReminderGrace = TimeSpan.FromSeconds(5);

    /// <summary>The delivery reminder's period, as in <c>DeliveryGrain</c>.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    // Fake time moves in steps of this size, so reminders due on the way fire in order.
    private static readonly TimeSpan ClockStep = TimeSpan.FromSeconds(1);

    // Real time between two steps, so reminder ticks and their grain calls get to run.
    private static readonly TimeSpan StepPause = TimeSpan.FromMilliseconds(10);

    // Real time allowed for an attempt that fake time has already made due to reach the receiver.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(15);

    private readonly TestDatabase _database;
    private readonly ConcurrentDictionary<string, FakeTimeProvider> _siloClocks;
    private bool _stopped;

    private InProcessPostgresCluster(
        InProcessTestCluster cluster,
        FakeTimeProvider clock,
        ConcurrentDictionary<string, FakeTimeProvider> siloClocks,
        TestDatabase database,
        string serviceId)
    {
        Cluster = cluster;
        Clock = clock;
        _siloClocks = siloClocks;
        _database = database;
        ServiceId = serviceId;
    }

    public InProcessTestCluster Cluster { get; }

    /// <summary>
    /// Gets the reference clock that tests read. Each silo has its own fake clock, moved in step with this one
    /// while the silo lives: a killed silo's leftover reminder loops must not run when the others' time moves.
    /// </summary>
    public FakeTimeProvider Clock { get; }

    public string ServiceId { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>
    /// Starts <paramref name="silos"/> silos on a migrated database. Rows are keyed by <paramref name="serviceId"/>,
    /// so a cluster started later with the same id resumes the reminders and state of an earlier one.
    /// </summary>
    /// <param name="database">A database migrated by <see cref="SchemaMigrator.MigrateAsync"/>.</param>
    /// <param name="serviceId">The Orleans service id.</param>
    /// <param name="clockStart">The fake clock's start; pass an earlier cluster's time to continue from it.</param>
    /// <param name="silos">How many silos to start.</param>
    /// <param name="configure">Changes to the delivery options, or null to keep their defaults.</param>
    /// <param name="fakeGrainTimers">
    /// Whether grain timers, such as an alert rule's evaluation timer, also run on each silo's fake clock, so only
    /// <see cref="AdvanceAsync"/> makes them tick.
    /// </param>
    public static async Task<InProcessPostgresCluster> StartAsync(
        TestDatabase database,
        string serviceId,
        DateTimeOffset clockStart,
        short silos = 2,
        Action<DeliveryOptions>? configure = null,
        bool fakeGrainTimers = false)
    {
        var clock = new FakeTimeProvider(clockStart);
        var siloClocks = new ConcurrentDictionary<string, FakeTimeProvider>();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((options, silo) =>
        {
            var siloClock = new FakeTimeProvider(clock.GetUtcNow());
            siloClocks[options.SiloName] = siloClock;
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderClockKey, siloClock);
            silo.Services.AddKeyedSingleton<TimeProvider>(MeshFlowClock.ServiceKey, siloClock);
            if (fakeGrainTimers)
            {
                silo.Services.AddKeyedSingleton<TimeProvider>(GrainTimerClockKey, siloClock);
            }

            // The test cluster registers its in-memory membership table after this one, so the cluster uses it.
            // Grain storage and reminders stay on PostgreSQL.
            silo.AddMeshFlowPostgresStorage(database.ConnectionString);
            silo.AddMeshFlowGrains();
            if (configure is not null)
            {
                silo.Services.Configure(configure);
            }

            if (Environment.GetEnvironmentVariable("MESHFLOW_TEST_LOGS") == "1")
            {
                silo.Services.AddLogging(logging => logging
                    .AddSimpleConsole(console => console.TimestampFormat = "HH:mm:ss.fff ")
                    .SetMinimumLevel(LogLevel.Debug)
                    .AddFilter("Orleans", LogLevel.Information));
            }
        });

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new InProcessPostgresCluster(cluster, clock, siloClocks, database, serviceId);
    }

    /// <summary>
    /// Returns the fake time by which the reminder of an attempt due at <paramref name="dueAt"/> has fired: after
    /// <see cref="ReminderGrace"/>, plus one <see cref="ReminderPeriod"/> in case a new owner loaded it late.
    /// </summary>
    public static DateTimeOffset LatestReminderTick(DateTimeOffset dueAt) => dueAt + ReminderGrace + ReminderPeriod;

    /// <summary>Returns a service id no other test uses, so each test's rows stay apart.</summary>
    public static string NewServiceId() => "service-" + Guid.NewGuid().ToString("N");

    public ITenantGrain Tenant(string tenantId) => Client.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenantId));

    public IDeliveryGrain Delivery(string deliveryId) =>
        Client.GetGrain<IDeliveryGrain>(GrainKeys.Delivery(deliveryId));

    public IAlertRegistryGrain Alerts(string tenantId) =>
        Client.GetGrain<IAlertRegistryGrain>(GrainKeys.AlertRegistry(tenantId));

    public IMetricIngressGrain Metrics(string tenantId) =>
        Client.GetGrain<IMetricIngressGrain>(GrainKeys.MetricIngress(tenantId));

    public IAlertRuleGrain AlertRule(string tenantId, string ruleName) =>
        Client.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(tenantId, ruleName));

    public Task<PublishResult> PublishAsync(string tenantId, GovernanceEvent governanceEvent)
    {
        var withId = governanceEvent.EventId is null
            ? governanceEvent with { EventId = GrainKeys.NewEventId() }
            : governanceEvent;
        return Client.GetGrain<IEventGrain>(GrainKeys.Event(tenantId, withId.EventId!)).PublishAsync(withId);
    }

    /// <summary>Returns the silo that hosts the grain's activation, or null when the grain is not active.</summary>
    public InProcessSiloHandle? FindActivationSilo(GrainId grainId)
    {
        if (!Cluster.TryGetGrainContext(grainId, out var context))
        {
            return null;
        }

        return Cluster.Silos.FirstOrDefault(silo => silo.SiloAddress.Equals(context.Address.SiloAddress));
    }

    /// <summary>Kills a silo without a graceful stop and waits until the other silos have removed it.</summary>
    /// <remarks>
    /// NOTE: the test cluster's kill cancels the silo's shutdown instead of crashing the process, and with Orleans
    /// 10.4.2 the killed silo still records itself as dead in the membership table (its log shows Stopping, then
    /// Dead). So the survivors take over at once, and death detection by missed probes is not exercised here.
    /// </remarks>
    public async Task KillSiloAsync(InProcessSiloHandle silo)
    {
        _siloClocks.TryRemove(silo.Name, out _);
        await Cluster.KillSiloAsync(silo);
        await Cluster.WaitForLivenessToStabilizeAsync(didKill: true);
    }

    private void Step(TimeSpan step)
    {
        Clock.Advance(step);
        foreach (var siloClock in _siloClocks.Values)
        {
            siloClock.Advance(step);
        }
    }

    /// <summary>Moves the fake clock forward in steps of one second, pausing between steps.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        var end = Clock.GetUtcNow() + span;
        while (Clock.GetUtcNow() < end)
        {
            var remaining = end - Clock.GetUtcNow();
            Step(remaining < ClockStep ? remaining : ClockStep);
            await Task.Delay(StepPause);
        }
    }

    /// <summary>
    /// Moves the fake clock forward one step at a time until <paramref name="condition"/> holds or the clock reaches
    /// <paramref name="limit"/>, then waits a bounded real time for work already due. Throws
    /// <see cref="TimeoutException"/> when the condition still does not hold.
    /// </summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, DateTimeOffset limit, string description)
    {
        while (!condition() && Clock.GetUtcNow() < limit)
        {
            var remaining = limit - Clock.GetUtcNow();
            Step(remaining < ClockStep ? remaining : ClockStep);
            await Task.Delay(StepPause);
        }

        var deadline = DateTime.UtcNow + SettleTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Expected {description} by fake time {limit:O}; the fake clock is at {Clock.GetUtcNow():O} and "
                    + $"{SettleTimeout.TotalSeconds} s of real time passed after it stopped.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls the delivery until <paramref name="condition"/> holds, within a bounded real-time wait.</summary>
    public async Task<DeliveryInfo> WaitForAsync(string tenantId, string deliveryId, Func<DeliveryInfo, bool> condition)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
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
                    $"Delivery {deliveryId} did not reach the expected state within {SettleTimeout.TotalSeconds} s; "
                    + $"last status {info.Status} after {info.Attempts.Count} attempts.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until the delivery has made <paramref name="attempts"/> attempts and both its state and its re-registered
    /// reminder are stored, and returns its status.
    /// </summary>
    /// <remarks>
    /// The grain serves status queries while an attempt runs, and it records the attempt in memory before writing
    /// it, so the status alone does not show that a silo may be killed without losing the retry. The reminder is
    /// registered after the write, so a reminder row due <see cref="ReminderGrace"/> after the next attempt shows
    /// that both are durable.
    /// </remarks>
    public async Task<DeliveryInfo> WaitForStoredRetryAsync(string tenantId, string deliveryId, int attempts)
    {
        var info = await WaitForAsync(
            tenantId,
            deliveryId,
            d => d.Attempts.Count == attempts && d.NextAttemptAt is not null);
        var expectedStart = info.NextAttemptAt!.Value + ReminderGrace;
        var grainId = Delivery(deliveryId).GetGrainId();
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (true)
        {
            var startTime = await ReminderRows.ReadStartTimeAsync(_database, ServiceId, grainId, DeliveryReminderName);

            // PostgreSQL stores microseconds, so the row can differ from the clock's 100 ns ticks.
            if (startTime is { } start && (start - expectedStart).Duration() < TimeSpan.FromMilliseconds(1))
            {
                return await Delivery(deliveryId).GetAsync(tenantId);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The reminder of delivery {deliveryId} is due at {startTime?.ToString("O") ?? "(no row)"}, "
                    + $"not at {expectedStart:O}, {SettleTimeout.TotalSeconds} s after attempt {attempts} failed.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops every silo gracefully and the client; the database keeps the rows.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await Cluster.StopAllSilosAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Cluster.DisposeAsync();
    }
}
