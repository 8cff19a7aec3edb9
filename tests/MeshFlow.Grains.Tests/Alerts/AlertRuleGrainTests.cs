using System.Text.Json;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class AlertRuleGrainTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "alert-secret";

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Rule_SumAboveThreshold_FiresOnceThenResolvesOnce()
    {
        const string tenantId = "fires-and-resolves";
        await using var receiver = await TestReceiver.StartAsync();
        await Cluster.Alerts(tenantId).AddRuleAsync(
            new AlertRule("high-cost-alert", "agent.cost_usd", 1.0, 60, receiver.Url.ToString()), Secret, replace: false);

        var recorded = await Cluster.Metrics(tenantId).RecordAsync(
            [new MetricSample("agent.cost_usd", 0.75), new MetricSample("agent.cost_usd", 0.5)]);
        var firing = await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var firingRequest = await receiver.NextAsync();
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(10));
        var resolved = await Cluster.Alerts(tenantId).EvaluateAsync("high-cost-alert");
        var resolvedRequest = await receiver.NextAsync();

        Assert.Equal(2, recorded.Accepted);
        Assert.Equal(AlertStatus.Firing, Assert.Single(firing).State);
        Assert.Equal(1.25, firing[0].Value);
        Assert.Equal(AlertStatus.Inactive, Assert.Single(resolved).State);
        Assert.Equal(WebhookSignature.ComputeHeader(firingRequest.Body, Secret), firingRequest.Header("X-MeshFlow-Signature"));
        using var firingJson = JsonDocument.Parse(firingRequest.Body);
        using var resolvedJson = JsonDocument.Parse(resolvedRequest.Body);
        Assert.Equal("firing", firingJson.RootElement.GetProperty("status").GetString());
        Assert.Equal("agent.cost_usd sum over 60 s = 1.25 > 1.0", firingJson.RootElement.GetProperty("reason").GetString());
        Assert.Equal("resolved", resolvedJson.RootElement.GetProperty("status").GetString());
        Assert.Equal(
            firingJson.RootElement.GetProperty("alert_id").GetString(),
            resolvedJson.RootElement.GetProperty("alert_id").GetString());
        Assert.False(await receiver.AnyWithinAsync(TimeSpan.FromMilliseconds(300)));
    }
}
