using System.Globalization;
using System.Text;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Alerts;

/// <summary>
/// Notifications of one rule through the real grains and a real receiver: bodies, headers and the lifecycle from
/// firing to resolved.
/// </summary>
public sealed class AlertNotificationTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "alert-secret";
    private const string Metric = "agent.cost_usd";

    // Long enough for a request that was wrongly sent to reach a receiver on the same machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Firing_Request_ExactBodyAndHeaders()
    {
        const string tenantId = "notify-firing-body";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(tenantId, new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 0.75), new(Metric, 0.5)]);
        var firedAt = AlertRequests.Time(Cluster.Clock.GetUtcNow());

        var evaluation = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync("high-cost-alert"));
        var request = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Firing, evaluation.State);
        Assert.Equal(
            "{\"event\":\"alert\",\"run_id\":null,\"node_id\":null,\"tenant_id\":\"notify-firing-body\","
            + $"\"timestamp\":\"{firedAt}\",\"reason\":\"agent.cost_usd sum over 60 s = 1.25 > 1.0\","
            + "\"rule_name\":\"high-cost-alert\",\"status\":\"firing\",\"metric\":\"agent.cost_usd\",\"value\":1.25,"
            + "\"threshold\":1,\"window_seconds\":60,\"aggregation\":\"sum\","
            + $"\"started_at\":\"{firedAt}\",\"resolved_at\":null,\"alert_id\":\"high-cost-alert:1\"}}",
            Encoding.UTF8.GetString(request.Body));
        Assert.Equal("POST", request.Method);
        Assert.Equal("alert", request.Header(WebhookHeaders.Event));
        Assert.Equal(
            AlertRequests.DeliveryId(tenantId, "high-cost-alert:1", "firing"),
            request.Header(WebhookHeaders.Delivery));
        Assert.Equal(WebhookSignature.ComputeHeader(request.Body, Secret), request.Header(WebhookHeaders.Signature));
        var signatureHex = request.Header(WebhookHeaders.Signature)![WebhookSignature.Prefix.Length..];
        Assert.True(await PythonVerifier.VerifyAsync(request.Body, signatureHex, Secret));
        Assert.False(await PythonVerifier.VerifyAsync(request.Body, signatureHex, "another-secret"));
    }

    [Fact]
    public async Task Resolved_Request_ExactBodyAndOwnDeliveryId()
    {
        const string tenantId = "notify-resolved-body";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(tenantId, new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        var firedAt = AlertRequests.Time(Cluster.Clock.GetUtcNow());
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firing = await ReceiveDeliveredAsync(tenantId, receiver);

        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(10));
        var resolvedAt = AlertRequests.Time(Cluster.Clock.GetUtcNow());
        var evaluation = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var resolved = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Inactive, evaluation.State);
        Assert.Null(evaluation.Value);
        Assert.Equal(
            "{\"event\":\"alert\",\"run_id\":null,\"node_id\":null,\"tenant_id\":\"notify-resolved-body\","
            + $"\"timestamp\":\"{resolvedAt}\",\"reason\":\"agent.cost_usd sum over 60 s: no samples\","
            + "\"rule_name\":\"high-cost-alert\",\"status\":\"resolved\",\"metric\":\"agent.cost_usd\",\"value\":null,"
            + "\"threshold\":1,\"window_seconds\":60,\"aggregation\":\"sum\","
            + $"\"started_at\":\"{firedAt}\",\"resolved_at\":\"{resolvedAt}\",\"alert_id\":\"high-cost-alert:1\"}}",
            Encoding.UTF8.GetString(resolved.Body));
        Assert.Equal("alert", resolved.Header(WebhookHeaders.Event));
        Assert.Equal(WebhookSignature.ComputeHeader(resolved.Body, Secret), resolved.Header(WebhookHeaders.Signature));
        Assert.Equal(
            AlertRequests.DeliveryId(tenantId, "high-cost-alert:1", "resolved"),
            resolved.Header(WebhookHeaders.Delivery));
        Assert.NotEqual(firing.Header(WebhookHeaders.Delivery), resolved.Header(WebhookHeaders.Delivery));
    }

    [Fact]
    public async Task Notification_GovernanceEventType_SetsHeaderAndField()
    {
        const string tenantId = "notify-budget-event";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(
            tenantId,
            new AlertRule(
                "budget",
                Metric,
                10.0,
                60,
                receiver.Url.ToString(),
                AlertAggregation.Max,
                AlertComparison.Gte,
                Event: EventTypes.BudgetExceeded));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 4.0), new(Metric, 10.0)]);

        await Cluster.Alerts(tenantId).EvaluateAsync("budget");
        var request = await receiver.NextAsync();
        var body = AlertRequests.Body(request);

        Assert.Equal("budget_exceeded", request.Header(WebhookHeaders.Event));
        Assert.Equal("budget_exceeded", body.GetProperty("event").GetString());
        Assert.Equal("agent.cost_usd max over 60 s = 10.0 >= 10.0", body.GetProperty("reason").GetString());
        Assert.Equal("max", body.GetProperty("aggregation").GetString());
        Assert.Equal(10.0, body.GetProperty("value").GetDouble());
        Assert.Equal(WebhookSignature.ComputeHeader(request.Body, Secret), request.Header(WebhookHeaders.Signature));
    }

    [Fact]
    public async Task Firing_RetriedDelivery_SameDeliveryIdAndBody()
    {
        const string tenantId = "notify-retried";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(500));
        await AddRuleAsync(tenantId, new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var first = await receiver.NextAsync();
        var deliveryId = first.Header(WebhookHeaders.Delivery)!;
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        var second = await receiver.NextAsync();
        var delivered = await Cluster.WaitForFinishedAsync(tenantId, second);

        Assert.Equal(500, first.AnsweredStatus);
        Assert.Equal(200, second.AnsweredStatus);
        Assert.Equal(deliveryId, second.Header(WebhookHeaders.Delivery));
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Header(WebhookHeaders.Signature), second.Header(WebhookHeaders.Signature));
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        Assert.Equal(2, delivered.Attempts.Count);
        Assert.Equal("alert", delivered.EventType);
        Assert.Equal("high-cost-alert:1:firing", delivered.EventId);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Rule_ManyEvaluations_FiresOnceResolvesOnce()
    {
        const string tenantId = "notify-once";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(tenantId, new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString()));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        var whileFiring = new List<AlertStatus>();
        var afterResolving = new List<AlertStatus>();

        for (var i = 0; i < 12; i++)
        {
            whileFiring.Add(Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null)).State);
            await Cluster.AdvanceAsync(TimeSpan.FromSeconds(4));
        }

        var firing = await ReceiveDeliveredAsync(tenantId, receiver);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(13));
        for (var i = 0; i < 12; i++)
        {
            afterResolving.Add(Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null)).State);
            await Cluster.AdvanceAsync(TimeSpan.FromSeconds(4));
        }

        var resolved = await ReceiveDeliveredAsync(tenantId, receiver);

        Assert.All(whileFiring, state => Assert.Equal(AlertStatus.Firing, state));
        Assert.All(afterResolving, state => Assert.Equal(AlertStatus.Inactive, state));
        Assert.Equal("firing", AlertRequests.Status(firing));
        Assert.Equal("resolved", AlertRequests.Status(resolved));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task Rule_PendingDuration_FiresOnlyAfterForSeconds()
    {
        const string tenantId = "notify-pending";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(
            tenantId,
            new AlertRule("high-cost-alert", Metric, 1.0, 120, receiver.Url.ToString(), ForSeconds: 30));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        var atStart = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(29));
        var beforeFor = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sentBeforeFor = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        var firedAt = AlertRequests.Time(Cluster.Clock.GetUtcNow());
        var afterFor = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var firing = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Pending, atStart.State);
        Assert.Equal(AlertStatus.Pending, beforeFor.State);
        Assert.False(sentBeforeFor);
        Assert.Equal(AlertStatus.Firing, afterFor.State);
        var body = AlertRequests.Body(firing);
        Assert.Equal("firing", body.GetProperty("status").GetString());
        Assert.Equal(firedAt, body.GetProperty("started_at").GetString());
        Assert.Equal(firedAt, body.GetProperty("timestamp").GetString());
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Rule_ConditionDropsWhilePending_SendsNothing()
    {
        const string tenantId = "notify-pending-drops";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(
            tenantId,
            new AlertRule("high-cost-alert", Metric, 1.0, 10, receiver.Url.ToString(), ForSeconds: 30));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        var pending = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(11));
        var dropped = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30));
        var later = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sent = await receiver.AnyWithinAsync(QuietPeriod);

        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 2.5)]);
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        for (var i = 0; i < 6; i++)
        {
            // A sample every 5 s keeps the 10 s window above the threshold for the whole pending duration.
            await Cluster.AdvanceAsync(TimeSpan.FromSeconds(5));
            await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 2.5)]);
        }

        var refired = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var firing = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Pending, pending.State);
        Assert.Equal(AlertStatus.Inactive, dropped.State);
        Assert.Equal(AlertStatus.Inactive, later.State);
        Assert.False(sent);
        Assert.Equal(AlertStatus.Firing, refired.State);
        Assert.Equal("firing", AlertRequests.Status(firing));

        // The silent pending episode counted as episode 1, so the first alert that fires has the next number.
        Assert.Equal("high-cost-alert:2", AlertRequests.AlertId(firing));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Rule_RepeatInterval_RepeatsWithSameAlertId()
    {
        const string tenantId = "notify-repeat";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(
            tenantId,
            new AlertRule("high-cost-alert", Metric, 1.0, 150, receiver.Url.ToString(), RepeatSeconds: 60));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        var startedAt = AlertRequests.Time(Cluster.Clock.GetUtcNow());

        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firing = await ReceiveDeliveredAsync(tenantId, receiver);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(5));
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var sentEarly = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        var firstRepeatAt = Cluster.Clock.GetUtcNow();
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firstRepeat = await ReceiveDeliveredAsync(tenantId, receiver);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var sentBetween = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var secondRepeat = await ReceiveDeliveredAsync(tenantId, receiver);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(5));
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var resolved = await receiver.NextAsync();

        Assert.False(sentEarly);
        Assert.False(sentBetween);
        ReceivedRequest[] requests = [firing, firstRepeat, secondRepeat, resolved];
        Assert.Equal(["firing", "firing", "firing", "resolved"], requests.Select(AlertRequests.Status));
        Assert.All(requests, request => Assert.Equal("high-cost-alert:1", AlertRequests.AlertId(request)));
        Assert.All(
            requests,
            request => Assert.Equal(startedAt, AlertRequests.Body(request).GetProperty("started_at").GetString()));
        Assert.Equal(4, requests.Select(request => request.Header(WebhookHeaders.Delivery)).Distinct().Count());
        Assert.Equal(
            AlertRequests.DeliveryId(
                tenantId,
                "high-cost-alert:1",
                "repeat-" + firstRepeatAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            firstRepeat.Header(WebhookHeaders.Delivery));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task Rule_FlappingData_TwoEpisodesWithOwnIds()
    {
        const string tenantId = "notify-flapping";
        await using var receiver = await TestReceiver.StartAsync();
        await AddRuleAsync(tenantId, new AlertRule("high-cost-alert", Metric, 1.0, 10, receiver.Url.ToString()));
        var requests = new List<ReceivedRequest>();

        for (var episode = 0; episode < 2; episode++)
        {
            await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
            await Cluster.Alerts(tenantId).EvaluateAsync(null);
            requests.Add(await ReceiveDeliveredAsync(tenantId, receiver));
            await Cluster.AdvanceAsync(TimeSpan.FromSeconds(11));
            await Cluster.Alerts(tenantId).EvaluateAsync(null);
            requests.Add(await ReceiveDeliveredAsync(tenantId, receiver));
        }

        Assert.Equal(["firing", "resolved", "firing", "resolved"], requests.Select(AlertRequests.Status));
        var alertIds = requests.Select(AlertRequests.AlertId).ToList();
        Assert.Equal(alertIds[0], alertIds[1]);
        Assert.Equal(alertIds[2], alertIds[3]);
        Assert.NotEqual(alertIds[0], alertIds[2]);
        Assert.Equal(4, requests.Select(request => request.Header(WebhookHeaders.Delivery)).Distinct().Count());
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    private async Task AddRuleAsync(string tenantId, AlertRule rule) =>
        await Cluster.Alerts(tenantId).AddRuleAsync(rule, Secret, replace: false);

    // A resolved notification waits for its firing delivery to finish, so tests that go on to resolve wait for that.
    private async Task<ReceivedRequest> ReceiveDeliveredAsync(string tenantId, TestReceiver receiver)
    {
        var request = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, request);
        return request;
    }
}
