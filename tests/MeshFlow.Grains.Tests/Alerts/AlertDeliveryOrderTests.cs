using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Alerts;

/// <summary>
/// How a resolved notification depends on the deliveries of its episode's firing notifications: it never reaches a
/// receiver that got no firing notification, and never overtakes one that is still being retried.
/// </summary>
public sealed class AlertDeliveryOrderTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "alert-secret";
    private const string Metric = "agent.cost_usd";
    private const string RuleName = "high-cost-alert";
    private const string FirstAlertId = RuleName + ":1";

    // Long enough for a request that was wrongly sent to reach a receiver on the same machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    // Longer than the 5 s window of these rules and shorter than the first retry delay (10 s less 20 % jitter), so
    // the condition clears while a failed delivery still waits for its retry.
    private static readonly TimeSpan PastWindow = TimeSpan.FromSeconds(6);

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Resolved_FiringGone_NotSent()
    {
        const string tenantId = "order-firing-gone";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(410));
        await AddRuleAsync(tenantId, new AlertRule(RuleName, Metric, 1.0, 5, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        var failed = await Cluster.WaitForFinishedAsync(tenantId, firing);
        await Cluster.AdvanceAsync(PastWindow);
        var cleared = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await Cluster.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        var later = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal(
            AlertRequests.DeliveryId(tenantId, FirstAlertId, "firing"),
            firing.Header(WebhookHeaders.Delivery));
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal(AlertStatus.Inactive, cleared.State);
        Assert.Equal(AlertStatus.Inactive, later.State);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Single(receiver.Requests);
        await AssertNeverHandedOverAsync(tenantId, AlertRequests.DeliveryId(tenantId, FirstAlertId, "resolved"));
    }

    [Fact]
    public async Task Resolved_FiringRetriesExhausted_NotSent()
    {
        // 400 is not a permanent failure for deliveries (only 410 is), so the firing delivery spends its retries.
        const string tenantId = "order-firing-exhausted";
        await using var receiver = await TestReceiver.StartAsync(
            [.. Enumerable.Repeat(ReceiverResponse.WithStatus(400), 4)]);
        await AddRuleAsync(tenantId, new AlertRule(RuleName, Metric, 1.0, 5, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        var deliveryId = firing.Header(WebhookHeaders.Delivery)!;
        var info = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvanceAsync(PastWindow);
        var cleared = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sentWhileRetrying = await receiver.AnyWithinAsync(QuietPeriod);
        for (var attempts = 2; attempts <= 4; attempts++)
        {
            await Cluster.AdvancePastNextAttemptAsync(info, TimeSpan.FromSeconds(5));
            await receiver.NextAsync();
            info = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == attempts);
        }

        var failed = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);
        var afterFailure = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal(AlertStatus.Inactive, cleared.State);
        Assert.False(sentWhileRetrying);
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Equal(AlertStatus.Inactive, afterFailure.State);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Equal(4, receiver.Requests.Count);
        Assert.All(receiver.Requests, request => Assert.Equal("firing", AlertRequests.Status(request)));
        await AssertNeverHandedOverAsync(tenantId, AlertRequests.DeliveryId(tenantId, FirstAlertId, "resolved"));
    }

    [Fact]
    public async Task Resolved_FiringStillRetrying_SentAfterItSucceeds()
    {
        const string tenantId = "order-firing-retrying";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(500));
        await AddRuleAsync(tenantId, new AlertRule(RuleName, Metric, 1.0, 5, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firstAttempt = await receiver.NextAsync();
        var info = await Cluster.WaitForAsync(
            tenantId,
            firstAttempt.Header(WebhookHeaders.Delivery)!,
            d => d.Attempts.Count == 1);
        await Cluster.AdvanceAsync(PastWindow);
        var cleared = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sentWhileRetrying = await receiver.AnyWithinAsync(QuietPeriod);
        await AssertNeverHandedOverAsync(tenantId, AlertRequests.DeliveryId(tenantId, FirstAlertId, "resolved"));
        await Cluster.AdvancePastNextAttemptAsync(info);
        var secondAttempt = await receiver.NextAsync();
        var delivered = await Cluster.WaitForFinishedAsync(tenantId, secondAttempt);
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var resolved = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Inactive, cleared.State);
        Assert.False(sentWhileRetrying);
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        ReceivedRequest[] requests = [firstAttempt, secondAttempt, resolved];
        Assert.Equal(["firing", "firing", "resolved"], requests.Select(AlertRequests.Status));
        Assert.Equal([500, 200, 200], requests.Select(request => request.AnsweredStatus));
        Assert.All(requests, request => Assert.Equal(FirstAlertId, AlertRequests.AlertId(request)));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Resolved_RemovedWhileFiringRetries_SentLater()
    {
        const string tenantId = "order-removed-retrying";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(500));
        await AddRuleAsync(tenantId, new AlertRule(RuleName, Metric, 1.0, 60, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firstAttempt = await receiver.NextAsync();
        var info = await Cluster.WaitForAsync(
            tenantId,
            firstAttempt.Header(WebhookHeaders.Delivery)!,
            d => d.Attempts.Count == 1);
        await Cluster.Alerts(tenantId).RemoveRuleAsync(RuleName);
        var sentOnRemove = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvancePastNextAttemptAsync(info);
        var secondAttempt = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, secondAttempt);

        // The rule's reminder ticks once a minute and hands over what its outbox still holds.
        await Cluster.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5));
        var resolved = await receiver.NextAsync();

        Assert.False(sentOnRemove);
        ReceivedRequest[] requests = [firstAttempt, secondAttempt, resolved];
        Assert.Equal(["firing", "firing", "resolved"], requests.Select(AlertRequests.Status));
        Assert.Equal(
            "alert rule high-cost-alert was removed",
            AlertRequests.Body(resolved).GetProperty("reason").GetString());
        Assert.Equal(WebhookSignature.ComputeHeader(resolved.Body, Secret), resolved.Header(WebhookHeaders.Signature));
        Assert.Empty(await Cluster.Alerts(tenantId).ListRulesAsync());
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Resolved_RepeatStillRetrying_SentAfterRepeat()
    {
        const string tenantId = "order-repeat-retrying";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(
            tenantId,
            new AlertRule(RuleName, Metric, 1.0, 5, receiver.Url.ToString(), RepeatSeconds: 60));

        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, firing);

        // Scripted before the clock moves, because the evaluation timer may send the repeat before the test calls
        // EvaluateAsync.
        receiver.Enqueue(ReceiverResponse.WithStatus(500));
        await KeepFiringForAsync(tenantId, TimeSpan.FromSeconds(60));
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var repeatFirstAttempt = await receiver.NextAsync();
        var repeatInfo = await Cluster.WaitForAsync(
            tenantId,
            repeatFirstAttempt.Header(WebhookHeaders.Delivery)!,
            d => d.Attempts.Count == 1);
        await Cluster.AdvanceAsync(PastWindow);
        var cleared = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sentWhileRetrying = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvancePastNextAttemptAsync(repeatInfo);
        var repeatSecondAttempt = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, repeatSecondAttempt);
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var resolved = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Inactive, cleared.State);
        Assert.False(sentWhileRetrying);
        ReceivedRequest[] requests = [firing, repeatFirstAttempt, repeatSecondAttempt, resolved];
        Assert.Equal(["firing", "firing", "firing", "resolved"], requests.Select(AlertRequests.Status));
        Assert.Equal([200, 500, 200, 200], requests.Select(request => request.AnsweredStatus));
        Assert.Equal(
            repeatFirstAttempt.Header(WebhookHeaders.Delivery),
            repeatSecondAttempt.Header(WebhookHeaders.Delivery));
        Assert.All(requests, request => Assert.Equal(FirstAlertId, AlertRequests.AlertId(request)));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Resolved_FiringGoneRepeatDelivered_Sent()
    {
        const string tenantId = "order-repeat-delivered";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(410));
        await AddRuleAsync(
            tenantId,
            new AlertRule(RuleName, Metric, 1.0, 5, receiver.Url.ToString(), RepeatSeconds: 60));

        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        var firingInfo = await Cluster.WaitForFinishedAsync(tenantId, firing);
        await KeepFiringForAsync(tenantId, TimeSpan.FromSeconds(60));
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var repeat = await receiver.NextAsync();
        var repeatInfo = await Cluster.WaitForFinishedAsync(tenantId, repeat);
        await Cluster.AdvanceAsync(PastWindow);
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var resolved = await receiver.NextAsync();

        Assert.Equal(DeliveryStatus.Failed, firingInfo.Status);
        Assert.Equal(DeliveryStatus.Succeeded, repeatInfo.Status);
        ReceivedRequest[] requests = [firing, repeat, resolved];
        Assert.Equal(["firing", "firing", "resolved"], requests.Select(AlertRequests.Status));
        Assert.All(requests, request => Assert.Equal(FirstAlertId, AlertRequests.AlertId(request)));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    private async Task AddRuleAsync(string tenantId, AlertRule rule) =>
        await Cluster.Alerts(tenantId).AddRuleAsync(rule, Secret, replace: false);

    // Records a sample every 4 s, so the 5 s window stays above the threshold while the clock moves on.
    private async Task KeepFiringForAsync(string tenantId, TimeSpan span)
    {
        var end = Cluster.Clock.GetUtcNow() + span;
        while (Cluster.Clock.GetUtcNow() < end)
        {
            var step = end - Cluster.Clock.GetUtcNow();
            await Cluster.AdvanceAsync(step < TimeSpan.FromSeconds(4) ? step : TimeSpan.FromSeconds(4));
            await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        }
    }

    private async Task AssertNeverHandedOverAsync(string tenantId, string deliveryId)
    {
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => Cluster.Delivery(deliveryId).GetAsync(tenantId));
    }
}
