using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Alerts;

/// <summary>
/// A rule grain deactivated and activated again on memory storage: the alert state survives, the window starts
/// empty, and nothing is sent again or resolved early.
/// </summary>
public sealed class AlertRestartTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "alert-secret";
    private const string Metric = "agent.cost_usd";

    // Long enough for a request that was wrongly sent to reach a receiver on the same machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Reactivated_Firing_ResolvesAfterFullWindow()
    {
        const string tenantId = "restart-firing";
        const string ruleName = "high-cost-alert";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Alerts(tenantId).AddRuleAsync(
            new AlertRule(ruleName, Metric, 1.0, 60, receiver.Url.ToString()), Secret, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, firing);

        // A second sample keeps the alert firing once the rule has observed a full window.
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(5));
        var beforeRestart = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await DeliveryCluster.DeactivateAsync(Cluster.Rule(tenantId, ruleName));
        var afterRestart = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sentAfterRestart = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(5));
        var beforeFullWindow = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sentBeforeFullWindow = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        var afterFullWindow = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var resolved = await receiver.NextAsync();
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        var later = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal(AlertStatus.Firing, beforeRestart.State);
        Assert.True(beforeRestart.HasFullWindow);
        Assert.Equal(1.5, beforeRestart.Value);
        Assert.Equal(AlertStatus.Firing, afterRestart.State);
        Assert.False(afterRestart.HasFullWindow);
        Assert.Null(afterRestart.Value);
        Assert.False(sentAfterRestart);
        Assert.Equal(AlertStatus.Firing, beforeFullWindow.State);
        Assert.False(beforeFullWindow.HasFullWindow);
        Assert.False(sentBeforeFullWindow);
        Assert.Equal(AlertStatus.Inactive, afterFullWindow.State);
        Assert.True(afterFullWindow.HasFullWindow);
        Assert.Equal("resolved", AlertRequests.Status(resolved));
        Assert.Equal(AlertRequests.AlertId(firing), AlertRequests.AlertId(resolved));
        Assert.Equal(AlertStatus.Inactive, later.State);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task Reactivated_LtRule_FiresAfterFullWindow()
    {
        const string tenantId = "restart-less-than";
        const string ruleName = "low-throughput";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Alerts(tenantId).AddRuleAsync(
            new AlertRule(
                ruleName,
                "agent.requests",
                5.0,
                60,
                receiver.Url.ToString(),
                AlertAggregation.Avg,
                AlertComparison.Lt),
            Secret,
            replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new("agent.requests", 10.0)]);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(5));
        await Cluster.Metrics(tenantId).RecordAsync([new("agent.requests", 10.0)]);
        var beforeRestart = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        await DeliveryCluster.DeactivateAsync(Cluster.Rule(tenantId, ruleName));
        var emptyWindow = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await Cluster.Metrics(tenantId).RecordAsync([new("agent.requests", 1.0)]);
        var lowValue = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        await Cluster.Metrics(tenantId).RecordAsync([new("agent.requests", 2.0)]);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(5));
        var beforeFullWindow = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var sentBeforeFullWindow = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        var afterFullWindow = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var firing = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Inactive, beforeRestart.State);
        Assert.True(beforeRestart.HasFullWindow);
        Assert.Equal(AlertStatus.Inactive, emptyWindow.State);
        Assert.False(emptyWindow.HasFullWindow);
        Assert.Null(emptyWindow.Value);
        Assert.Equal(AlertStatus.Inactive, lowValue.State);
        Assert.Equal(1.0, lowValue.Value);
        Assert.Equal(AlertStatus.Inactive, beforeFullWindow.State);
        Assert.False(beforeFullWindow.HasFullWindow);
        Assert.Equal(1.5, beforeFullWindow.Value);
        Assert.False(sentBeforeFullWindow);
        Assert.Equal(AlertStatus.Firing, afterFullWindow.State);
        Assert.True(afterFullWindow.HasFullWindow);
        var body = AlertRequests.Body(firing);
        Assert.Equal("firing", body.GetProperty("status").GetString());

        // One full window after the restart, the first low sample has just left the window.
        Assert.Equal("agent.requests avg over 60 s = 2.0 < 5.0", body.GetProperty("reason").GetString());
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }
}
