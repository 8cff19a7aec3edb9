using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Alerts;

/// <summary>
/// Notifications driven only by the rule grain's evaluation timer, which runs on Orleans' real clock, in a cluster
/// configured with a one-second evaluation interval. No test here calls EvaluateAsync.
/// </summary>
public sealed class AlertEvaluationTimerTests(AlertTimerClusterFixture fixture)
    : IClassFixture<AlertTimerClusterFixture>
{
    private const string Secret = "alert-secret";
    private const string Metric = "agent.cost_usd";

    // Many evaluation intervals, yet a bound that fails a hung test instead of waiting forever.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Timer_NoEvaluateCall_FiresAndResolves()
    {
        const string tenantId = "timer-fires";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Alerts(tenantId).AddRuleAsync(
            new AlertRule("high-cost-alert", Metric, 1.0, 10, receiver.Url.ToString()), Secret, replace: false);

        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 0.75), new(Metric, 0.5)]);
        var firing = await receiver.NextAsync(Timeout);
        await Cluster.WaitForFinishedAsync(tenantId, firing);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(11));
        var resolved = await receiver.NextAsync(Timeout);

        Assert.Equal("firing", AlertRequests.Status(firing));
        Assert.Equal(
            "agent.cost_usd sum over 10 s = 1.25 > 1.0",
            AlertRequests.Body(firing).GetProperty("reason").GetString());
        Assert.Equal(WebhookSignature.ComputeHeader(firing.Body, Secret), firing.Header(WebhookHeaders.Signature));
        Assert.Equal("resolved", AlertRequests.Status(resolved));
        Assert.Equal(AlertRequests.AlertId(firing), AlertRequests.AlertId(resolved));
        Assert.False(await receiver.AnyWithinAsync(AlertTimerClusterFixture.EvaluationInterval * 3));
    }
}
