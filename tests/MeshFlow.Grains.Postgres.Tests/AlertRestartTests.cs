using System.Text.Json;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Postgres.Tests.Infrastructure;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Fires an alert on a PostgreSQL-backed cluster, stops every silo and starts a new cluster with the same service id
/// on the same database. The rule, its secret and its alert state are stored, while the window of samples is not,
/// so the restarted rule must neither fire again nor resolve before it has observed one full window.
/// </summary>
public sealed class AlertRestartTests
{
    private const string TenantId = "alert-restart";
    private const string RuleName = "high-cost";
    private const string Metric = "agent.cost_usd";
    private const int WindowSeconds = 60;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(WindowSeconds);

    // Real time after the last step for a request that was wrongly sent to reach a receiver on this machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task FiringRule_FullRestart_ResolvesOnceAfterWindow()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var receiver = await TestReceiver.StartAsync();
        var serviceId = InProcessPostgresCluster.NewServiceId();
        var rule = new AlertRule(RuleName, Metric, 1.0, WindowSeconds, receiver.Url.ToString());
        AlertRuleAdded added;
        IReadOnlyList<AlertEvaluation> firing;
        ReceivedRequest firingRequest;
        DateTimeOffset stoppedAt;
        await using (var first = await StartAsync(database, serviceId, WholeSecond(DateTimeOffset.UtcNow)))
        {
            added = await first.Alerts(TenantId).AddRuleAsync(rule, secret: null, replace: false);
            await first.Metrics(TenantId).RecordAsync([new MetricSample(Metric, 0.75), new MetricSample(Metric, 0.5)]);
            firing = await first.Alerts(TenantId).EvaluateAsync(null);
            firingRequest = await receiver.NextAsync();
            await first.WaitForAsync(
                TenantId,
                firingRequest.Header(WebhookHeaders.Delivery)!,
                d => d.Status == DeliveryStatus.Succeeded);
            stoppedAt = first.Clock.GetUtcNow();
            await first.StopAsync();
        }

        await using var second = await StartAsync(database, serviceId, stoppedAt);
        var alerts = second.Alerts(TenantId);
        var listed = await alerts.ListRulesAsync();
        var afterRestart = await alerts.EvaluateAsync(RuleName);
        var sentAfterRestart = await receiver.AnyWithinAsync(QuietPeriod);
        await second.AdvanceAsync(Window - TimeSpan.FromSeconds(1));
        var beforeFullWindow = await alerts.EvaluateAsync(RuleName);
        var sentBeforeFullWindow = await receiver.AnyWithinAsync(QuietPeriod);
        await second.AdvanceAsync(TimeSpan.FromSeconds(1));
        var atFullWindow = await alerts.EvaluateAsync(RuleName);
        var resolvedRequest = await receiver.NextAsync();
        await second.AdvanceAsync(2 * InProcessPostgresCluster.AlertReminderPeriod);
        var later = await alerts.EvaluateAsync(RuleName);
        var sentLater = await receiver.AnyWithinAsync(QuietPeriod);

        var secret = added.GeneratedSecret;
        Assert.NotNull(secret);
        Assert.Equal(AlertStatus.Firing, Assert.Single(firing).State);
        Assert.Equal(1.25, firing[0].Value);
        Assert.Equal(rule, Assert.Single(listed));
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(listed), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed[0].ToString(), StringComparison.Ordinal);

        var restarted = Assert.Single(afterRestart);
        Assert.Equal(AlertStatus.Firing, restarted.State);
        Assert.False(restarted.HasFullWindow);
        Assert.Null(restarted.Value);
        Assert.False(sentAfterRestart);
        var almostFull = Assert.Single(beforeFullWindow);
        Assert.Equal(AlertStatus.Firing, almostFull.State);
        Assert.False(almostFull.HasFullWindow);
        Assert.False(sentBeforeFullWindow);
        var full = Assert.Single(atFullWindow);
        Assert.Equal(AlertStatus.Inactive, full.State);
        Assert.True(full.HasFullWindow);
        Assert.Equal(AlertStatus.Inactive, Assert.Single(later).State);
        Assert.False(sentLater);
        Assert.Equal(2, receiver.Requests.Count);
        foreach (var evaluation in firing.Concat(afterRestart).Concat(beforeFullWindow).Concat(atFullWindow))
        {
            Assert.DoesNotContain(secret, JsonSerializer.Serialize(evaluation), StringComparison.Ordinal);
        }

        var fired = AlertNotificationBody.Parse(firingRequest);
        var resolved = AlertNotificationBody.Parse(resolvedRequest);
        Assert.Equal("firing", fired.Status);
        Assert.Equal("resolved", resolved.Status);
        Assert.Equal(RuleName + ":1", fired.AlertId);
        Assert.Equal(fired.AlertId, resolved.AlertId);
        Assert.Equal(stoppedAt + Window, resolved.ResolvedAt);
        Assert.True(WebhookSignature.Verify(firingRequest.Body, firingRequest.Header(WebhookSignature.HeaderName), secret));
        Assert.True(WebhookSignature.Verify(resolvedRequest.Body, resolvedRequest.Header(WebhookSignature.HeaderName), secret));
        Assert.NotEqual(firingRequest.Header(WebhookHeaders.Delivery), resolvedRequest.Header(WebhookHeaders.Delivery));
    }

    [Fact]
    public async Task FiringRule_RestartWithoutCalls_ResolvesFromReminder()
    {
        const string secret = "hmac-secret-for-alert-restart-tests";
        await using var database = await MigratedDatabase.CreateAsync();
        await using var receiver = await TestReceiver.StartAsync();
        var serviceId = InProcessPostgresCluster.NewServiceId();
        var rule = new AlertRule(RuleName, Metric, 1.0, WindowSeconds, receiver.Url.ToString());
        ReceivedRequest firingRequest;
        DateTimeOffset stoppedAt;
        await using (var first = await StartAsync(database, serviceId, WholeSecond(DateTimeOffset.UtcNow)))
        {
            await first.Alerts(TenantId).AddRuleAsync(rule, secret, replace: false);
            await first.Metrics(TenantId).RecordAsync([new MetricSample(Metric, 2.5)]);
            await first.Alerts(TenantId).EvaluateAsync(RuleName);
            firingRequest = await receiver.NextAsync();
            await first.WaitForAsync(
                TenantId,
                firingRequest.Header(WebhookHeaders.Delivery)!,
                d => d.Status == DeliveryStatus.Succeeded);
            stoppedAt = first.Clock.GetUtcNow();
            await first.StopAsync();
        }

        // Nothing calls the rule grain from here on. Its keep-alive reminder activates it at most one period after
        // the restart, or two if the new owner loads the reminder late. From then on its timer evaluates the rule,
        // and the alert resolves once the new activation has observed one full window.
        await using var second = await StartAsync(database, serviceId, stoppedAt);
        var latestResolution = stoppedAt
            + (2 * InProcessPostgresCluster.AlertReminderPeriod)
            + Window
            + InProcessPostgresCluster.AlertEvaluationInterval;
        await second.AdvanceUntilAsync(
            () => receiver.Requests.Count >= 2,
            latestResolution,
            "the resolved notification, sent by the rule grain's reminder and timer alone");
        var resolvedRequest = await receiver.NextAsync();
        var sentLater = await receiver.AnyWithinAsync(QuietPeriod);
        var evaluation = await second.Alerts(TenantId).EvaluateAsync(RuleName);

        var fired = AlertNotificationBody.Parse(firingRequest);
        var resolved = AlertNotificationBody.Parse(resolvedRequest);
        Assert.Equal("firing", fired.Status);
        Assert.Equal(2.5, fired.Value);
        Assert.Equal("resolved", resolved.Status);
        Assert.Equal(fired.AlertId, resolved.AlertId);
        Assert.Null(resolved.Value);
        Assert.NotNull(resolved.ResolvedAt);
        // The first keep-alive tick is due one period after the rule was added, which is when the first cluster
        // stopped, and the window observed since that activation must be full before the alert resolves.
        var earliestResolution = stoppedAt + InProcessPostgresCluster.AlertReminderPeriod + Window;
        Assert.True(
            resolved.ResolvedAt >= earliestResolution,
            $"The alert resolved at {resolved.ResolvedAt:O}, before {earliestResolution:O}, one window after the "
            + "first keep-alive tick could activate the rule.");
        Assert.True(WebhookSignature.Verify(resolvedRequest.Body, resolvedRequest.Header(WebhookSignature.HeaderName), secret));
        Assert.False(sentLater);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(AlertStatus.Inactive, Assert.Single(evaluation).State);
    }

    // Grain timers run on the fake clock, so the rule's evaluation timer ticks only when the test moves time.
    private static Task<InProcessPostgresCluster> StartAsync(
        TestDatabase database,
        string serviceId,
        DateTimeOffset clockStart) =>
        InProcessPostgresCluster.StartAsync(database, serviceId, clockStart, fakeGrainTimers: true);

    // Notification timestamps have whole seconds, so a clock that starts on one compares exactly.
    private static DateTimeOffset WholeSecond(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);
}
