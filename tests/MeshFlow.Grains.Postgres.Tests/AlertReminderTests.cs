using System.Text.Json;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Postgres.Tests.Infrastructure;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Checks in the PostgreSQL reminder table that an alert rule grain keeps its keep-alive reminder exactly while it
/// has a rule or a notification not yet handed to delivery. Every silo reads all the reminder rows of its range on
/// each refresh, so rows of removed rules would pile up.
/// </summary>
public sealed class AlertReminderTests
{
    private const string TenantId = "alert-reminders";
    private const string RuleName = "error-rate";
    private const string Metric = "agent.errors";
    private const string Secret = "hmac-secret-for-alert-reminder-tests";
    private const int WindowSeconds = 60;

    [Fact]
    public async Task KeepAliveReminder_RuleRemoved_RowDeleted()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow,
            fakeGrainTimers: true);
        var rule = new AlertRule(RuleName, Metric, 5, WindowSeconds, "http://127.0.0.1:9/hooks");
        var grainId = cluster.AlertRule(TenantId, RuleName).GetGrainId();
        var addedAt = cluster.Clock.GetUtcNow();

        await cluster.Alerts(TenantId).AddRuleAsync(rule, Secret, replace: false);
        var whileDefined = await ReadReminderAsync(database, cluster, grainId);
        var removed = await cluster.Alerts(TenantId).RemoveRuleAsync(RuleName);
        var afterRemoval = await ReadReminderAsync(database, cluster, grainId);
        var listed = await cluster.Alerts(TenantId).ListRulesAsync();

        Assert.NotNull(whileDefined);
        var expectedStart = addedAt + InProcessPostgresCluster.AlertReminderPeriod;

        // PostgreSQL stores microseconds, so the row can differ from the clock's 100 ns ticks.
        Assert.True(
            (whileDefined.Value - expectedStart).Duration() < TimeSpan.FromMilliseconds(1),
            $"The keep-alive reminder is due at {whileDefined:O}, not one period after the rule was added ({expectedStart:O}).");
        Assert.Equal(rule, removed);
        Assert.Null(afterRemoval);
        Assert.Empty(listed);
        Assert.Empty(await ReminderRows.ReadGrainIdsAsync(database, cluster.ServiceId));
    }

    [Fact]
    public async Task KeepAliveReminder_ResolvedQueued_KeptUntilSent()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow,
            fakeGrainTimers: true);
        await using var receiver = await TestReceiver.StartAsync();
        receiver.StatusCode = 503;
        var rule = new AlertRule(RuleName, Metric, 5, WindowSeconds, receiver.Url.ToString());
        var grainId = cluster.AlertRule(TenantId, RuleName).GetGrainId();
        await cluster.Alerts(TenantId).AddRuleAsync(rule, Secret, replace: false);
        await cluster.Metrics(TenantId).RecordAsync([new MetricSample(Metric, 7)]);
        await cluster.Alerts(TenantId).EvaluateAsync(RuleName);
        var failedFiring = await receiver.NextAsync();
        var firingDeliveryId = failedFiring.Header(WebhookHeaders.Delivery)!;
        var inBackoff = await cluster.WaitForStoredRetryAsync(TenantId, firingDeliveryId, attempts: 1);

        // The firing delivery is still pending, so the resolved notification that the removal decides must wait in
        // the outbox, and the reminder must stay to flush it.
        await cluster.Alerts(TenantId).RemoveRuleAsync(RuleName);
        var afterRemoval = await ReadReminderAsync(database, cluster, grainId);
        var storedAfterRemoval = await ReadStoredRuleAsync(database, cluster);
        receiver.StatusCode = 200;
        var limit = InProcessPostgresCluster.LatestReminderTick(inBackoff.NextAttemptAt!.Value)
            + InProcessPostgresCluster.AlertReminderPeriod;
        await cluster.AdvanceUntilAsync(
            () => receiver.Requests.Count >= 3,
            limit,
            "the retried firing notification and then the resolved one");
        var leftOver = await ReminderRows.WaitUntilNoneAsync(database, cluster.ServiceId);
        var storedAtEnd = await ReadStoredRuleAsync(database, cluster);

        Assert.NotNull(afterRemoval);
        Assert.Equal(JsonValueKind.Null, storedAfterRemoval.GetProperty("rule").ValueKind);
        Assert.Equal(1, storedAfterRemoval.GetProperty("outbox").GetArrayLength());
        Assert.Empty(leftOver);
        Assert.Equal(0, storedAtEnd.GetProperty("outbox").GetArrayLength());
        var requests = receiver.Requests.ToList();
        Assert.Equal(3, requests.Count);
        var bodies = requests.Select(AlertNotificationBody.Parse).ToList();
        Assert.Equal(["firing", "firing", "resolved"], bodies.Select(body => body.Status));
        Assert.All(bodies, body => Assert.Equal(RuleName + ":1", body.AlertId));
        Assert.Equal(firingDeliveryId, requests[1].Header(WebhookHeaders.Delivery));
        Assert.NotEqual(firingDeliveryId, requests[2].Header(WebhookHeaders.Delivery));
        Assert.All(requests, request =>
            Assert.True(WebhookSignature.Verify(request.Body, request.Header(WebhookSignature.HeaderName), Secret)));
    }

    private static Task<DateTimeOffset?> ReadReminderAsync(
        TestDatabase database,
        InProcessPostgresCluster cluster,
        GrainId grainId) =>
        ReminderRows.ReadStartTimeAsync(database, cluster.ServiceId, grainId, InProcessPostgresCluster.AlertReminderName);

    private static Task<JsonElement> ReadStoredRuleAsync(TestDatabase database, InProcessPostgresCluster cluster) =>
        GrainStateRows.ReadJsonAsync(
            database,
            cluster.ServiceId,
            StorageNames.AlertRuleState,
            GrainKeys.AlertRule(TenantId, RuleName));
}
