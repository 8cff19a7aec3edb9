using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Tests.Client;

/// <summary>
/// <see cref="MetricStore"/> against a recording ingress grain, with no cluster.
/// </summary>
public sealed class MetricStoreTests
{
    private const string Tenant = "acme";
    private const string Metric = "agent.cost_usd";

    private readonly RecordingIngress ingress = new();
    private readonly FakeGrainFactory factory;
    private readonly MetricStore sut;

    public MetricStoreTests()
    {
        sut = new MetricStore(FakeGrainFactory.Create(out factory, ingress));
    }

    [Fact]
    public async Task RecordAsync_OneSample_SendsItWithTimestamp()
    {
        var at = new DateTimeOffset(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

        var result = await sut.RecordAsync(Tenant, Metric, 0.42, at);

        Assert.Equal(new MetricRecordResult(1, 0, 0), result);
        var batch = Assert.Single(ingress.Batches);
        Assert.Equal([new MetricSample(Metric, 0.42, at)], batch);
        Assert.Equal(["metric-ingress/acme"], factory.Keys);
    }

    [Fact]
    public async Task RecordBatchAsync_OverMaxBatchSize_SplitsAndSums()
    {
        var samples = Enumerable.Range(0, (2 * MetricSample.MaxBatchSize) + 1)
            .Select(i => new MetricSample(Metric, i));

        var result = await sut.RecordBatchAsync(Tenant, samples);

        Assert.Equal([MetricSample.MaxBatchSize, MetricSample.MaxBatchSize, 1], ingress.Batches.Select(b => b.Count));
        Assert.Equal(new MetricRecordResult((2 * MetricSample.MaxBatchSize) + 1, 0, 0), result);
        Assert.Equal(20_000, ingress.Batches[2][0].Value);
    }

    [Fact]
    public async Task RecordBatchAsync_RejectedSamples_SumsEachCount()
    {
        ingress.RejectFirstAsFuture = true;
        var samples = Enumerable.Repeat(new MetricSample(Metric, 1), MetricSample.MaxBatchSize + 5);

        var result = await sut.RecordBatchAsync(Tenant, samples);

        Assert.Equal(new MetricRecordResult(MetricSample.MaxBatchSize + 3, 2, 0), result);
    }

    [Fact]
    public async Task RecordBatchAsync_Empty_ReturnsZerosWithoutCall()
    {
        var result = await sut.RecordBatchAsync(Tenant, []);

        Assert.Equal(new MetricRecordResult(0, 0, 0), result);
        Assert.Empty(ingress.Batches);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public async Task RecordBatchAsync_NonFiniteInLaterChunk_SendsNothing(double value, string expectedText)
    {
        var samples = Enumerable.Range(0, MetricSample.MaxBatchSize + 10)
            .Select(i => new MetricSample(Metric, i == 10_004 ? value : 1))
            .ToList();

        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => sut.RecordBatchAsync(Tenant, samples));

        Assert.Equal(
            $"Invalid value {expectedText} of the {Metric} sample at index 10004: use a finite number, because NaN and "
            + "infinities are rejected. No sample was recorded.",
            exception.Message);
        Assert.Empty(ingress.Batches);
    }

    [Fact]
    public async Task RecordBatchAsync_InvalidMetric_NamesIndex()
    {
        MetricSample[] samples = [new(Metric, 1), new("Agent.Cost", 2)];

        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => sut.RecordBatchAsync(Tenant, samples));

        Assert.StartsWith(
            "No sample was recorded, because the sample at index 1 is invalid. Invalid metric name 'Agent.Cost'",
            exception.Message,
            StringComparison.Ordinal);
        Assert.Empty(ingress.Batches);
    }

    [Fact]
    public async Task RecordAsync_NaN_SendsNothing()
    {
        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => sut.RecordAsync(Tenant, Metric, double.NaN));

        Assert.Equal(
            $"Invalid value NaN of the {Metric} sample: use a finite number, because NaN and infinities are "
            + "rejected. No sample was recorded.",
            exception.Message);
        Assert.Empty(ingress.Batches);
    }

    [Fact]
    public async Task RecordAsync_InvalidTenant_SendsNothing()
    {
        await Assert.ThrowsAsync<MeshFlowValidationException>(() => sut.RecordAsync("bad tenant", Metric, 1));

        Assert.Empty(ingress.Batches);
        Assert.Empty(factory.Keys);
    }

    [Fact]
    public async Task RecordBatchAsync_CanceledDuringFirstChunk_SendsNoMore()
    {
        using var cancellation = new CancellationTokenSource();
        ingress.OnRecord = cancellation.Cancel;
        var samples = Enumerable.Repeat(new MetricSample(Metric, 1), MetricSample.MaxBatchSize + 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => sut.RecordBatchAsync(Tenant, samples, cancellation.Token));

        Assert.Single(ingress.Batches);
    }

    /// <summary>
    /// An ingress grain that records each batch and accepts every sample, or all but the first of each batch when
    /// <see cref="RejectFirstAsFuture"/> is set.
    /// </summary>
    private sealed class RecordingIngress : IMetricIngressGrain
    {
        public List<IReadOnlyList<MetricSample>> Batches { get; } = [];

        public bool RejectFirstAsFuture { get; set; }

        public Action? OnRecord { get; set; }

        public Task<MetricRecordResult> RecordAsync(IReadOnlyList<MetricSample> samples)
        {
            Batches.Add(samples);
            OnRecord?.Invoke();
            var future = RejectFirstAsFuture ? 1 : 0;
            return Task.FromResult(new MetricRecordResult(samples.Count - future, future, 0));
        }
    }
}
