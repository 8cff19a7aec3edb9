using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Tests.Client;

/// <summary>
/// <see cref="AlertEngine"/> and <see cref="MetricStore"/> through <see cref="MeshFlowClientHost"/> against a
/// running test cluster.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AlertClientTests(MeshFlowCluster cluster) : IAsyncLifetime
{
    private const string Metric = "agent.cost_usd";
    private const string ClosedUrl = "http://127.0.0.1:9/alerts";

    private readonly string tenant = $"t-{Guid.NewGuid():N}";
    private MeshFlowClientHost? client;

    private MeshFlowClientHost Client => client ?? throw new InvalidOperationException("Not connected.");

    public async Task InitializeAsync()
    {
        var options = new MeshFlowClientOptions { Gateways = [cluster.Gateway] };
        client = await MeshFlowClientHost.ConnectAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task AddRuleAsync_NoSecret_ReturnsGeneratedOnce()
    {
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 60, ClosedUrl);

        var added = await Client.Alerts.AddRuleAsync(tenant, rule);
        var again = await Client.Alerts.AddRuleAsync(tenant, rule with { Threshold = 2.0 }, replace: true);
        var rules = await Client.Alerts.ListRulesAsync(tenant);

        Assert.Equal(rule, added.Rule);
        Assert.False(string.IsNullOrEmpty(added.GeneratedSecret));
        Assert.False(added.Replaced);
        Assert.True(again.Replaced);
        Assert.Equal(2.0, Assert.Single(rules).Threshold);
    }

    [Fact]
    public async Task RecordBatchAsync_OverMaxBatchSize_AllReachTheRule()
    {
        await Client.Alerts.AddRuleAsync(tenant, new AlertRule("many", Metric, 1000, 60, ClosedUrl), "hmac-secret-c2");
        var samples = Enumerable.Repeat(new MetricSample(Metric, 0.5), MetricSample.MaxBatchSize + 1);

        var recorded = await Client.Metrics.RecordBatchAsync(tenant, samples);
        var evaluation = Assert.Single(await Client.Alerts.EvaluateAsync(tenant, "many"));

        Assert.Equal(new MetricRecordResult(MetricSample.MaxBatchSize + 1, 0, 0), recorded);
        Assert.Equal(5000.5, evaluation.Value);
        Assert.Equal(AlertStatus.Firing, evaluation.State);
    }

    [Fact]
    public async Task RecordAsync_FutureTimestamp_CountsRejection()
    {
        var result = await Client.Metrics.RecordAsync(tenant, Metric, 1, DateTimeOffset.UtcNow.AddMinutes(5));

        Assert.Equal(new MetricRecordResult(0, 1, 0), result);
    }

    [Fact]
    public async Task RemoveRuleAsync_Unknown_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => Client.Alerts.RemoveRuleAsync(tenant, "nope"));
    }
}
