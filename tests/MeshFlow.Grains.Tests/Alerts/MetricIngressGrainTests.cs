using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class MetricIngressGrainTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "alert-secret";
    private const string Metric = "agent.cost_usd";

    // A threshold no sample in these tests reaches, so no rule fires and no URL is called.
    private const double Unreached = 1e9;
    private const string Url = "http://127.0.0.1:9/unused";

    // The maximum window (one day) plus the 60 s lateness horizon.
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(86_400 + 60);

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Record_Samples_ReachOnlyWatchingRules()
    {
        const string tenantId = "metrics-routing";
        const string otherTenantId = "metrics-routing-other";
        await AddRuleAsync(tenantId, "cost-sum", Metric, AlertAggregation.Sum);
        await AddRuleAsync(tenantId, "cost-avg", Metric, AlertAggregation.Avg);
        await AddRuleAsync(tenantId, "cost-count", Metric, AlertAggregation.Count);
        await AddRuleAsync(tenantId, "latency", "agent.latency_ms", AlertAggregation.Sum);
        await AddRuleAsync(otherTenantId, "cost-sum", Metric, AlertAggregation.Sum);

        var result = await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 2.0), new(Metric, 3.0)]);
        var evaluations = await Cluster.Alerts(tenantId).EvaluateAsync(null);
        var other = Assert.Single(await Cluster.Alerts(otherTenantId).EvaluateAsync(null));

        Assert.Equal(new MetricRecordResult(2, 0, 0), result);
        Assert.Equal(
            ["cost-avg", "cost-count", "cost-sum", "latency"],
            evaluations.Select(evaluation => evaluation.RuleName));
        Assert.Equal(2.5, evaluations[0].Value);
        Assert.Equal(2.0, evaluations[1].Value);
        Assert.Equal(5.0, evaluations[2].Value);
        Assert.Null(evaluations[3].Value);
        Assert.Null(other.Value);
    }

    [Fact]
    public async Task Record_MixedMetrics_SplitByMetric()
    {
        const string tenantId = "metrics-mixed-batch";
        await AddRuleAsync(tenantId, "cost", Metric, AlertAggregation.Sum);
        await AddRuleAsync(tenantId, "latency", "agent.latency_ms", AlertAggregation.Max);

        var result = await Cluster.Metrics(tenantId).RecordAsync(
            [new(Metric, 1.0), new("agent.latency_ms", 250.0), new(Metric, 2.0), new("agent.tokens", 9.0)]);
        var evaluations = await Cluster.Alerts(tenantId).EvaluateAsync(null);

        Assert.Equal(new MetricRecordResult(4, 0, 0), result);
        Assert.Equal(3.0, evaluations.Single(evaluation => evaluation.RuleName == "cost").Value);
        Assert.Equal(250.0, evaluations.Single(evaluation => evaluation.RuleName == "latency").Value);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public async Task Record_NotFiniteValue_RejectsWholeBatch(double value, string expectedText)
    {
        var tenantId = "metrics-not-finite-" + expectedText.TrimStart('-').ToLowerInvariant() + (value < 0 ? "-negative" : "");
        await AddRuleAsync(tenantId, "cost", Metric, AlertAggregation.Count);

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.0), new(Metric, value), new(Metric, 2.0)]));
        var evaluation = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal(
            $"Invalid value {expectedText} for metric 'agent.cost_usd' (sample 1): give a finite number; NaN and infinities "
            + "are not accepted.",
            error.Message);
        Assert.Equal(0.0, evaluation.Value);
    }

    [Fact]
    public async Task Record_InvalidMetricName_RejectsWholeBatch()
    {
        const string tenantId = "metrics-bad-name";
        await AddRuleAsync(tenantId, "cost", Metric, AlertAggregation.Sum);

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.0), new("Agent Cost", 2.0)]));
        var evaluation = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.StartsWith("Invalid metric name 'Agent Cost'", error.Message, StringComparison.Ordinal);
        Assert.Null(evaluation.Value);
    }

    [Fact]
    public async Task Record_FutureAndTooOld_CountedNotRecorded()
    {
        const string tenantId = "metrics-time-range";
        await AddRuleAsync(tenantId, "cost", Metric, AlertAggregation.Sum, windowSeconds: 60);
        var now = Cluster.Clock.GetUtcNow();

        var result = await Cluster.Metrics(tenantId).RecordAsync(
        [
            new(Metric, 1.0, now),
            new(Metric, 10.0, now + TimeSpan.FromSeconds(6)),
            new(Metric, 100.0, now + TimeSpan.FromDays(365)),
            new(Metric, 1000.0, now - MaxAge),
            new(Metric, 10_000.0, DateTimeOffset.MinValue),
            new(Metric, 2.0, now - TimeSpan.FromSeconds(30)),
        ]);
        var atOnce = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(7));
        var afterFutureTime = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal(new MetricRecordResult(2, 2, 2), result);
        Assert.Equal(3.0, atOnce.Value);
        Assert.Equal(3.0, afterFutureTime.Value);
    }

    [Fact]
    public async Task Record_WithinClockSkew_CountedOnceDue()
    {
        const string tenantId = "metrics-clock-skew";
        await AddRuleAsync(tenantId, "cost", Metric, AlertAggregation.Sum);
        var now = Cluster.Clock.GetUtcNow();

        var result = await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 4.0, now + TimeSpan.FromSeconds(5))]);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(5));
        var evaluation = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal(new MetricRecordResult(1, 0, 0), result);
        Assert.Equal(4.0, evaluation.Value);
    }

    [Fact]
    public async Task Record_EmptyBatch_ReturnsZeros()
    {
        const string tenantId = "metrics-empty";
        await AddRuleAsync(tenantId, "cost", Metric, AlertAggregation.Count);

        var result = await Cluster.Metrics(tenantId).RecordAsync([]);
        var evaluation = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal(new MetricRecordResult(0, 0, 0), result);
        Assert.Equal(0.0, evaluation.Value);
    }

    [Fact]
    public async Task Record_BatchSizeLimit_Enforced()
    {
        const string tenantId = "metrics-batch-size";
        await AddRuleAsync(tenantId, "cost", Metric, AlertAggregation.Count);
        var full = Enumerable.Repeat(new MetricSample(Metric, 1.0), MetricSample.MaxBatchSize).ToList();

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => Cluster.Metrics(tenantId).RecordAsync([.. full, new MetricSample(Metric, 1.0)]));
        var afterRejected = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));
        var result = await Cluster.Metrics(tenantId).RecordAsync(full);
        var afterAccepted = Assert.Single(await Cluster.Alerts(tenantId).EvaluateAsync(null));

        Assert.Equal("Too many samples in one batch: 10001; send at most 10000 per call.", error.Message);
        Assert.Equal(0.0, afterRejected.Value);
        Assert.Equal(new MetricRecordResult(10_000, 0, 0), result);
        Assert.Equal(10_000.0, afterAccepted.Value);
    }

    private async Task AddRuleAsync(
        string tenantId,
        string name,
        string metric,
        AlertAggregation aggregation,
        int windowSeconds = 60) =>
        await Cluster.Alerts(tenantId).AddRuleAsync(
            new AlertRule(name, metric, Unreached, windowSeconds, Url, aggregation),
            Secret,
            replace: false);
}
