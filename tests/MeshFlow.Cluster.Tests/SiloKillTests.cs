using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MeshFlow.Client;
using MeshFlow.Cluster.Tests.Infrastructure;
using MeshFlow.Grains;
using Xunit.Abstractions;

namespace MeshFlow.Cluster.Tests;

/// <summary>
/// Kills one of three silo processes with SIGKILL in the middle of a burst of published events and restarts it later
/// on the same ports. Every accepted delivery must still reach the receiver with a valid signature and end succeeded.
/// The measured figures go to artifacts/cluster-report.txt and to the test output.
/// </summary>
[Collection(ClusterTestCollection.Name)]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    private const string TenantId = "cluster-test";
    private const string Secret = "cluster-test-webhook-secret";
    private const int SiloCount = 3;
    private const int KilledSilo = 1;
    private const int EventCount = 500;
    private const int MaxInFlight = 16;
    private const int KillAfterAccepted = 150;

    // Short backoffs, and a retry budget far larger than the outage, so that no delivery is given up while a silo
    // is down. Membership logs at Information show the survivors' failed probes and the death declaration.
    private static readonly string[] SiloSettings =
    [
        "--MeshFlow:Delivery:InitialBackoff=00:00:01",
        "--MeshFlow:Delivery:BackoffMultiplier=2",
        "--MeshFlow:Delivery:MaxBackoff=00:00:10",
        "--MeshFlow:Delivery:MaxRetries=20",
        "--Logging:LogLevel:Orleans.Runtime.MembershipService=Information",
    ];

    private static readonly TimeSpan SiloStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan BurstTimeout = TimeSpan.FromSeconds(120);

    // Every accepted delivery must be received, and end succeeded, within this time after the kill.
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(180);

    // The killed silo is restarted once the burst is over and the survivors have declared it dead, or this long
    // after the kill when they have not.
    private static readonly TimeSpan RestartAfterAtLatest = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    // A delivery first received this long after its publish call returned counts as delayed by the outage, because
    // its first attempt is due at once.
    private static readonly TimeSpan DelayedThreshold = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SiloKill_DuringBurst_DeliversEveryAcceptedEvent()
    {
        var runClock = Stopwatch.StartNew();
        var report = new ClusterReport(
            $"MeshFlow cluster test: SIGKILL of 1 of {SiloCount} silos during a burst of {EventCount} events "
            + $"(started {DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)}, "
            + $"{Environment.ProcessorCount} CPUs, {Environment.OSVersion})");
        var logDirectory = Directory.CreateTempSubdirectory("meshflow-cluster-").FullName;
        var passed = false;
        try
        {
            await RunAsync(runClock, report, logDirectory);
            passed = true;
        }
        finally
        {
            report.Add("total run time", runClock.Elapsed, "");
            report.Add("silo logs", passed ? "deleted because the test passed" : logDirectory);
            var path = report.Save();
            output.WriteLine(report.Text);
            output.WriteLine($"Report written to {path}");
            if (passed)
            {
                Directory.Delete(logDirectory, recursive: true);
            }
        }
    }

    private async Task RunAsync(Stopwatch runClock, ClusterReport report, string logDirectory)
    {
        var timeline = new RunTimeline();
        await using var database = await ClusterDatabase.CreateAsync(CancellationToken.None);
        await using var receiver = await DeliveryReceiver.StartAsync(Secret, runClock);
        var clusterId = "cluster-test-" + Guid.NewGuid().ToString("N")[..12];
        await using var cluster = await SiloCluster.StartAsync(
            SiloCount,
            clusterId,
            database.ConnectionString,
            SiloSettings,
            logDirectory,
            SiloStartTimeout);
        timeline.ClusterReadyAt = runClock.Elapsed;
        Log(runClock, $"{SiloCount} silos ready in cluster {clusterId}; logs in {logDirectory}");

        await using var client = await MeshFlowClientHost.ConnectAsync(new MeshFlowClientOptions
        {
            Gateways = [.. cluster.Ports.Select(ports => ports.GatewayAddress)],
            ClusterId = clusterId,
        });
        var webhook = await client.Webhooks.RegisterAsync(
            TenantId,
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));

        // Phase 1: publish the burst, and kill one silo once KillAfterAccepted events are accepted.
        var burst = new EventBurst(client.Events, TenantId, runClock, KillAfterAccepted);
        using var burstDeadline = new CancellationTokenSource(BurstTimeout);
        timeline.BurstStartedAt = runClock.Elapsed;
        var burstTask = burst.RunAsync(CreateEvents(), MaxInFlight, burstDeadline.Token);
        await Task.WhenAny(burst.MilestoneReached, burstTask);
        if (!burst.MilestoneReached.IsCompleted)
        {
            await burstTask;
        }

        var killedPorts = cluster.Ports[KilledSilo];
        timeline.KilledAt = runClock.Elapsed;
        await cluster.KillAsync(KilledSilo);
        Log(runClock, $"silo {KilledSilo} (silo port {killedPorts.Silo}) killed after {burst.Accepted.Count} accepted events");
        using var deadWatchStop = new CancellationTokenSource(RecoveryTimeout);
        var markedDead = WaitForDeadRowAsync(database, clusterId, killedPorts.Silo, runClock, deadWatchStop.Token);

        // A failed burst is reported with the other figures and asserted at the end. The run goes on with the
        // events that were accepted.
        Exception? burstFailure = null;
        try
        {
            await burstTask;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            burstFailure = ex;
        }

        var accepted = burst.Accepted.ToList();
        timeline.LastAcceptedAt = accepted.Max(accepted => accepted.AcceptedAt);
        Log(runClock, $"{accepted.Count} events accepted after {burst.FailedCallCount} failed publish calls");

        // Phase 2: restart the killed silo on the same ports while the survivors resume its deliveries.
        var restartWait = timeline.KilledAt + RestartAfterAtLatest - runClock.Elapsed;
        await Task.WhenAny(markedDead, Task.Delay(restartWait > TimeSpan.Zero ? restartWait : TimeSpan.Zero));
        timeline.RestartedAt = runClock.Elapsed;
        await cluster.RestartAsync(KilledSilo, SiloStartTimeout);
        timeline.RestartReadyAt = runClock.Elapsed;
        Log(runClock, $"silo {KilledSilo} restarted");

        // Phase 3: wait until every accepted delivery has been received and has succeeded.
        var deliveryIds = accepted.SelectMany(accepted => accepted.DeliveryIds).ToList();
        var recoveryDeadline = timeline.KilledAt + RecoveryTimeout;
        timeline.AllReceivedAt = await WaitUntilReceivedAsync(receiver, deliveryIds, runClock, recoveryDeadline);
        Log(runClock, timeline.AllReceivedAt is null ? "not every delivery was received" : "every delivery received");
        var statuses = await ReadUntilSucceededAsync(client.Deliveries, deliveryIds, runClock, recoveryDeadline);
        if (deliveryIds.All(statuses.HasSucceeded))
        {
            timeline.AllSucceededAt = runClock.Elapsed;
        }

        Log(runClock, timeline.AllSucceededAt is null ? "not every delivery succeeded" : "every delivery succeeded");
        timeline.MarkedDeadAt = await markedDead;
        var reminderGrainIds = await database.ReadReminderGrainIdsAsync(CancellationToken.None);
        var activeRowsOfRestartedSilo = await database.CountSiloRowsAsync(
            clusterId,
            killedPorts.Silo,
            ClusterDatabase.ActiveStatus,
            CancellationToken.None);

        var receptions = receiver.Receptions.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var acceptedIds = deliveryIds.ToHashSet(StringComparer.Ordinal);
        var missing = deliveryIds.Where(id => !receptions.ContainsKey(id)).ToList();
        var unexpected = receptions.Keys.Where(id => !acceptedIds.Contains(id)).ToList();
        var wrongBodies = accepted
            .Where(accepted => receptions.TryGetValue(accepted.DeliveryIds[0], out var reception)
                && (reception.BodyChanged || ReadEventId(reception.FirstBody) != accepted.EventId))
            .Select(accepted => accepted.EventId)
            .ToList();
        var unfinished = accepted
            .Where(accepted => !statuses.HasSucceeded(accepted.DeliveryIds[0]))
            .Select(accepted => DescribeUnfinished(accepted, statuses, reminderGrainIds, receptions))
            .ToList();

        AddTimeline(report, timeline);
        AddCounts(report, timeline, burst, receiver, receptions, statuses, reminderGrainIds);
        report.Add("burst failure", burstFailure?.Message ?? "none");
        report.Add("deliveries whose body does not match their event", wrongBodies.Count);
        foreach (var line in unfinished.Take(10))
        {
            report.Add("unfinished delivery", line);
        }

        var logHint = $"Silo logs: {logDirectory}";
        Assert.True(burstFailure is null, $"The burst failed: {burstFailure?.Message} {logHint}");
        Assert.Equal(EventCount, accepted.Count);
        Assert.All(accepted, accepted => Assert.Single(accepted.DeliveryIds));
        Assert.True(
            missing.Count == 0,
            $"{missing.Count} accepted deliveries never reached the receiver within {RecoveryTimeout.TotalSeconds:0} s "
            + $"of the kill, such as {string.Join(", ", missing.Take(5))}. {logHint}");
        Assert.Equal(0, receiver.InvalidSignatureCount);
        Assert.Equal(0, receiver.MissingDeliveryIdCount);
        Assert.True(unexpected.Count == 0, $"The receiver got unknown delivery ids: {string.Join(", ", unexpected.Take(5))}");
        Assert.True(wrongBodies.Count == 0, $"Bodies do not match their events: {string.Join(", ", wrongBodies.Take(5))}");
        Assert.True(
            unfinished.Count == 0,
            $"{unfinished.Count} deliveries did not end succeeded within {RecoveryTimeout.TotalSeconds:0} s of the "
            + $"kill: {string.Join("; ", unfinished.Take(5))}. {logHint}");
        Assert.All(statuses.Infos.Values, info => Assert.Equal(webhook.Id, info.WebhookId));
        Assert.Equal(1, activeRowsOfRestartedSilo);
    }

    private static List<GovernanceEvent> CreateEvents() =>
    [
        .. Enumerable.Range(0, EventCount).Select(index => new GovernanceEvent(
            EventTypes.All[index % EventTypes.All.Count],
            EventId: $"burst-{index:D4}",
            RunId: "cluster-run",
            Reason: $"event {index} of a burst during a silo kill")),
    ];

    private static void AddTimeline(ClusterReport report, RunTimeline timeline)
    {
        var killedAt = timeline.KilledAt;
        var notReached = $"not reached within {RecoveryTimeout.TotalSeconds:0} s";
        report.Add("setup", $"{SiloCount} silo processes on 127.0.0.1, PostgreSQL storage, {EventCount} events with "
            + $"{MaxInFlight} publish calls in flight, one webhook for '*', SIGKILL of silo {KilledSilo} after "
            + $"{KillAfterAccepted} accepted events, restart on the same ports after the burst once the silo is "
            + $"marked dead (or {RestartAfterAtLatest.TotalSeconds:0} s after the kill)");
        report.Add("cluster ready (database, receiver, silos)", timeline.ClusterReadyAt, "");
        report.Add("burst start", timeline.BurstStartedAt, "");
        report.Add("kill", killedAt, "");
        report.Add("kill to last event accepted", timeline.LastAcceptedAt - killedAt, "");
        report.Add("kill to killed silo marked dead in the membership table", timeline.MarkedDeadAt - killedAt, notReached);
        report.Add(
            "killed silo declared dead by",
            timeline.MarkedDeadAt <= timeline.RestartedAt ? "the surviving silos" : "not the survivors before the restart");
        report.Add("kill to restart", timeline.RestartedAt - killedAt, "");
        report.Add("restart to rejoined (ready line)", timeline.RestartReadyAt - timeline.RestartedAt, "");

        // Recovery time: from the SIGKILL until every delivery accepted in the run, before or after the kill, had
        // reached the receiver at least once. It covers publishes that failed until the survivors declared the
        // silo dead, and deliveries whose activation died with the silo and waited for their reminder.
        report.Add("recovery time (kill to every accepted delivery received)", timeline.AllReceivedAt - killedAt, notReached);
        report.Add("recovery time after the dead mark", timeline.AllReceivedAt - timeline.MarkedDeadAt, "unknown");
        report.Add("kill to every delivery succeeded (read every second)", timeline.AllSucceededAt - killedAt, notReached);
    }

    private static void AddCounts(
        ClusterReport report,
        RunTimeline timeline,
        EventBurst burst,
        DeliveryReceiver receiver,
        Dictionary<string, Reception> receptions,
        DeliveryStatuses statuses,
        IReadOnlyList<string> reminderGrainIds)
    {
        var accepted = burst.Accepted.ToList();
        var deliveryIds = accepted.Select(accepted => accepted.DeliveryIds[0]).ToList();
        var delays = accepted
            .Where(accepted => receptions.ContainsKey(accepted.DeliveryIds[0]))
            .Select(accepted => receptions[accepted.DeliveryIds[0]].FirstAt - accepted.AcceptedAt)
            .ToList();
        var duplicated = receptions.Values.Where(reception => reception.Count > 1).ToList();

        report.Add("events accepted", accepted.Count);
        report.Add("events accepted before the kill", accepted.Count(accepted => accepted.AcceptedAt <= timeline.KilledAt));
        report.Add("publish calls failed and retried", burst.FailedCallCount);
        report.Add("publish failures by kind", Describe(burst.FailuresByKind));
        report.Add("events that needed more than one publish call", accepted.Count(accepted => accepted.Tries > 1));
        report.Add("deliveries accepted before the kill and not yet received at the kill", accepted.Count(accepted =>
            accepted.AcceptedAt <= timeline.KilledAt
            && (!receptions.TryGetValue(accepted.DeliveryIds[0], out var reception) || reception.FirstAt > timeline.KilledAt)));
        report.Add("requests received", receiver.RequestCount);
        report.Add("deliveries received", receptions.Count);
        report.Add("deliveries received more than once (duplicates)", duplicated.Count);
        report.Add("extra receptions of those deliveries", duplicated.Sum(reception => reception.Count - 1));
        report.Add(
            $"deliveries first received more than {DelayedThreshold.TotalSeconds:0} s after acceptance",
            delays.Count(delay => delay > DelayedThreshold));
        report.Add("max time from acceptance to first reception", delays.Count == 0 ? null : delays.Max(), "none");
        report.Add("deliveries never received", deliveryIds.Count(id => !receptions.ContainsKey(id)));
        report.Add("requests with an invalid signature", receiver.InvalidSignatureCount);
        report.Add("requests without a delivery id", receiver.MissingDeliveryIdCount);
        report.Add("requests for a delivery id no publish returned", receptions.Keys.Except(deliveryIds).Count());
        report.Add("delivery status at the end", Describe(statuses.CountByStatus()));
        report.Add("status reads that failed and were repeated", statuses.FailedQueryCount);
        report.Add("reminder rows left at the end", reminderGrainIds.Count);
        report.Add("pending deliveries without a reminder row", deliveryIds.Count(id =>
            statuses.Infos.TryGetValue(id, out var info)
            && info.Status == DeliveryStatus.Pending
            && !HasReminder(reminderGrainIds, id)));
    }

    /// <summary>
    /// Polls the membership table until the silo on <paramref name="siloPort"/> has a row marked dead, and returns
    /// when that was first seen. Returns null when <paramref name="cancellationToken"/> stops the wait first or the
    /// database fails.
    /// </summary>
    private static async Task<TimeSpan?> WaitForDeadRowAsync(
        ClusterDatabase database,
        string clusterId,
        int siloPort,
        Stopwatch runClock,
        CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var dead = await database.CountSiloRowsAsync(
                    clusterId,
                    siloPort,
                    ClusterDatabase.DeadStatus,
                    cancellationToken);
                if (dead > 0)
                {
                    return runClock.Elapsed;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or DbException)
        {
            // A failed read, such as one after an early end of the run dropped the database, ends the watch.
            return null;
        }
    }

    /// <summary>
    /// Waits until the receiver has every delivery id and returns when the last of them first arrived, or null when
    /// <paramref name="deadline"/> passes first.
    /// </summary>
    private static async Task<TimeSpan?> WaitUntilReceivedAsync(
        DeliveryReceiver receiver,
        IReadOnlyList<string> deliveryIds,
        Stopwatch runClock,
        TimeSpan deadline)
    {
        while (true)
        {
            var receptions = receiver.Receptions;
            if (deliveryIds.All(receptions.ContainsKey))
            {
                return deliveryIds.Max(id => receptions[id].FirstAt);
            }

            if (runClock.Elapsed >= deadline)
            {
                return null;
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// Reads every delivery's status through <see cref="DeliveryTracker"/>, then reads the unfinished ones again each
    /// second until none is pending or <paramref name="deadline"/> passes.
    /// </summary>
    private static async Task<DeliveryStatuses> ReadUntilSucceededAsync(
        DeliveryTracker tracker,
        IReadOnlyList<string> deliveryIds,
        Stopwatch runClock,
        TimeSpan deadline)
    {
        var statuses = new DeliveryStatuses();
        var unfinished = deliveryIds.ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxInFlight };
        while (true)
        {
            await Parallel.ForEachAsync(
                unfinished,
                options,
                async (deliveryId, _) => await statuses.QueryAsync(tracker, TenantId, deliveryId, QueryTimeout));
            unfinished = [.. unfinished.Where(id => !statuses.IsFinished(id))];
            if (unfinished.Count == 0 || runClock.Elapsed >= deadline)
            {
                return statuses;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static string DescribeUnfinished(
        AcceptedEvent accepted,
        DeliveryStatuses statuses,
        IReadOnlyList<string> reminderGrainIds,
        Dictionary<string, Reception> receptions)
    {
        var deliveryId = accepted.DeliveryIds[0];
        var status = statuses.Infos.TryGetValue(deliveryId, out var info)
            ? $"{info.Status}, {info.Attempts.Count} recorded attempts, next attempt due "
                + (info.NextAttemptAt?.UtcDateTime.ToString("HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture) ?? "never")
            : "status unknown";
        var reminder = HasReminder(reminderGrainIds, deliveryId) ? "has a reminder row" : "no reminder row";
        var received = receptions.TryGetValue(deliveryId, out var reception)
            ? $"received {reception.Count} times"
            : "never received";
        return $"{deliveryId} of event {accepted.EventId}: {status}, {reminder}, {received}, accepted at "
            + $"{ClusterReport.Seconds(accepted.AcceptedAt)} after {accepted.Tries} publish calls";
    }

    // Reminder rows store the grain id, such as delivery/delivery/dlv_..., whose key ends with the delivery id.
    private static bool HasReminder(IReadOnlyList<string> reminderGrainIds, string deliveryId) =>
        reminderGrainIds.Any(grainId => grainId.EndsWith("/" + deliveryId, StringComparison.Ordinal));

    private static string? ReadEventId(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("event_id", out var eventId) ? eventId.GetString() : null;
    }

    private static string Describe<TKey>(IReadOnlyDictionary<TKey, int> counts)
        where TKey : notnull =>
        counts.Count == 0
            ? "none"
            : string.Join(", ", counts.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} {pair.Value}"));

    private void Log(Stopwatch runClock, string message) =>
        output.WriteLine($"[{ClusterReport.Seconds(runClock.Elapsed)}] {message}");
}
