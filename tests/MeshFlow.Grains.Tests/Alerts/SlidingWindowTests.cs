using MeshFlow.Grains.Alerts;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class SlidingWindowTests
{
    // A second-aligned start, so whole-second offsets fall exactly on 1 s bucket boundaries.
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds)
    {
        return Start.AddSeconds(seconds);
    }

    // Five samples inside a 60 s window ending at 100 s: sorted 1, 2, 3, 4, 10.
    private static SlidingWindow CreateWindowWithKnownSamples()
    {
        var window = new SlidingWindow(60);
        var now = At(100);
        window.Add(4.0, At(50), now);
        window.Add(1.0, At(60), now);
        window.Add(3.0, At(70), now);
        window.Add(2.0, At(80), now);
        window.Add(10.0, At(100), now);
        return window;
    }

    [Theory]
    [InlineData(AlertAggregation.Sum, 20.0)]
    [InlineData(AlertAggregation.Avg, 4.0)]
    [InlineData(AlertAggregation.Min, 1.0)]
    [InlineData(AlertAggregation.Max, 10.0)]
    [InlineData(AlertAggregation.Count, 5.0)]
    [InlineData(AlertAggregation.P50, 3.0)]
    [InlineData(AlertAggregation.P95, 10.0)]
    [InlineData(AlertAggregation.P99, 10.0)]
    public void Evaluate_KnownSamples_ReturnsAggregate(AlertAggregation aggregation, double expected)
    {
        var window = CreateWindowWithKnownSamples();

        var result = window.Evaluate(aggregation, At(100));

        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData(double.MaxValue, AlertAggregation.Sum, double.MaxValue)]
    [InlineData(double.MaxValue, AlertAggregation.Avg, double.MaxValue / 4)]
    [InlineData(double.MinValue, AlertAggregation.Sum, double.MinValue)]
    [InlineData(double.MinValue, AlertAggregation.Avg, double.MinValue / 4)]
    public void Evaluate_SumBeyondDoubleRange_Saturates(double value, AlertAggregation aggregation, double expected)
    {
        // Two samples share a bucket and two sit in others, so both the bucket sum and the window sum overflow.
        var window = new SlidingWindow(60);
        var now = At(100);
        window.Add(value, At(90), now);
        window.Add(value, At(90), now);
        window.Add(value, At(95), now);
        window.Add(value, At(99), now);

        var result = window.Evaluate(aggregation, now);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void Evaluate_OppositeHugeSums_StayFinite()
    {
        var window = new SlidingWindow(60);
        var now = At(100);
        window.Add(double.MaxValue, At(90), now);
        window.Add(double.MaxValue, At(90), now);
        window.Add(double.MinValue, At(95), now);

        var result = window.Evaluate(AlertAggregation.Sum, now);

        Assert.NotNull(result);
        Assert.True(double.IsFinite(result.Value), $"Sum {result} is not finite.");
    }

    [Fact]
    public void Evaluate_AvgOverUnevenBuckets_IsPerSample()
    {
        var window = new SlidingWindow(60);
        var now = At(10);
        window.Add(1.0, At(5), now);
        window.Add(1.0, At(5), now);
        window.Add(1.0, At(5), now);
        window.Add(9.0, At(6), now);

        var result = window.Evaluate(AlertAggregation.Avg, now);

        Assert.Equal(3.0, result);
    }

    [Theory]
    [InlineData(AlertAggregation.Sum)]
    [InlineData(AlertAggregation.Avg)]
    [InlineData(AlertAggregation.Min)]
    [InlineData(AlertAggregation.Max)]
    [InlineData(AlertAggregation.P50)]
    [InlineData(AlertAggregation.P95)]
    [InlineData(AlertAggregation.P99)]
    public void Evaluate_EmptyWindow_ReturnsNull(AlertAggregation aggregation)
    {
        var window = new SlidingWindow(60);

        var result = window.Evaluate(aggregation, At(100));

        Assert.Null(result);
    }

    [Fact]
    public void Evaluate_EmptyWindowCount_ReturnsZero()
    {
        var window = new SlidingWindow(60);

        var result = window.Evaluate(AlertAggregation.Count, At(100));

        Assert.Equal(0.0, result);
    }

    [Fact]
    public void Evaluate_UndefinedAggregation_Throws()
    {
        var window = CreateWindowWithKnownSamples();

        Assert.Throws<ArgumentOutOfRangeException>(() => window.Evaluate((AlertAggregation)42, At(100)));
    }

    [Fact]
    public void Default_Aggregation_IsSum()
    {
        Assert.Equal(AlertAggregation.Sum, default);
    }

    [Theory]
    [InlineData(40.0, false)]
    [InlineData(40.001, true)]
    [InlineData(70.0, true)]
    [InlineData(100.0, true)]
    public void Evaluate_WindowEdges_LeftOpenRightClosed(double sampleSeconds, bool expectedIncluded)
    {
        var window = new SlidingWindow(60);
        var now = At(100);
        window.Add(1.0, At(sampleSeconds), now);

        var count = window.Evaluate(AlertAggregation.Count, now);

        Assert.Equal(expectedIncluded ? 1.0 : 0.0, count);
    }

    [Fact]
    public void Add_LateWithinWindow_CountedInOwnBucket()
    {
        var window = new SlidingWindow(60);
        var now = At(100);
        window.Add(1.0, At(100), now);

        var result = window.Add(5.0, At(90), now);

        Assert.Equal(SampleAddResult.Accepted, result);
        Assert.Equal(6.0, window.Evaluate(AlertAggregation.Sum, now));
        Assert.Equal(5.0, window.Evaluate(AlertAggregation.Sum, At(95)));
        Assert.Equal(0, window.RejectedTooLateCount);
    }

    [Fact]
    public void Add_OlderThanWindowWithinHorizon_Accepted()
    {
        var window = new SlidingWindow(60);
        var now = At(200);

        var result = window.Add(7.0, At(200 - 60 - 30), now);

        Assert.Equal(SampleAddResult.Accepted, result);
        Assert.Equal(0.0, window.Evaluate(AlertAggregation.Count, now));
        Assert.Equal(7.0, window.Evaluate(AlertAggregation.Sum, At(150)));
    }

    [Theory]
    [InlineData(80.0)]
    [InlineData(50.0)]
    [InlineData(0.0)]
    public void Add_BeyondLatenessHorizon_RejectedAndCounted(double sampleSeconds)
    {
        // Window 60 s and horizon 60 s at now = 200 s: samples at or before 80 s are too late.
        var window = new SlidingWindow(60);
        var now = At(200);

        var result = window.Add(1.0, At(sampleSeconds), now);

        Assert.Equal(SampleAddResult.RejectedTooLate, result);
        Assert.Equal(1, window.RejectedTooLateCount);
        Assert.Equal(0.0, window.Evaluate(AlertAggregation.Count, At(sampleSeconds + 1)));
    }

    [Fact]
    public void Add_JustInsideLatenessHorizon_Accepted()
    {
        var window = new SlidingWindow(60);
        var now = At(200);

        var result = window.Add(1.0, At(80).AddTicks(1), now);

        Assert.Equal(SampleAddResult.Accepted, result);
    }

    [Fact]
    public void Add_WithinClockSkew_AcceptedAndCountedOnceNowReachesIt()
    {
        var window = new SlidingWindow(60);
        var now = At(100);

        var result = window.Add(1.0, At(105), now);

        Assert.Equal(SampleAddResult.Accepted, result);
        Assert.Equal(0.0, window.Evaluate(AlertAggregation.Count, now));
        Assert.Equal(1.0, window.Evaluate(AlertAggregation.Count, At(105)));
    }

    [Theory]
    [InlineData(0.0001)]
    [InlineData(1.0)]
    [InlineData(3600.0)]
    public void Add_BeyondClockSkew_RejectedAndCounted(double secondsPastSkew)
    {
        var window = new SlidingWindow(60);
        var now = At(100);

        var result = window.Add(1.0, At(105 + secondsPastSkew), now);

        Assert.Equal(SampleAddResult.RejectedFuture, result);
        Assert.Equal(1, window.RejectedFutureCount);
        Assert.Equal(0.0, window.Evaluate(AlertAggregation.Count, At(105 + secondsPastSkew)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Add_NotFinite_RejectedAndCounted(double value)
    {
        var window = new SlidingWindow(60);
        var now = At(100);

        var result = window.Add(value, now, now);

        Assert.Equal(SampleAddResult.RejectedNotFinite, result);
        Assert.Equal(1, window.RejectedNotFiniteCount);
        Assert.Equal(0.0, window.Evaluate(AlertAggregation.Count, now));
    }

    [Fact]
    public void Add_ManySecondsPastWindow_KeepsOnlyLastWindow()
    {
        var window = new SlidingWindow(10);

        for (var second = 1; second <= 500; second++)
        {
            window.Add(second, At(second), At(second));
        }

        Assert.Equal(10.0, window.Evaluate(AlertAggregation.Count, At(500)));
        Assert.Equal(4955.0, window.Evaluate(AlertAggregation.Sum, At(500)));
        Assert.Equal(491.0, window.Evaluate(AlertAggregation.Min, At(500)));
        Assert.Equal(500.0, window.Evaluate(AlertAggregation.Max, At(500)));
    }

    [Fact]
    public void Add_SameSlotAfterWrap_ResetsStaleBucket()
    {
        var window = new SlidingWindow(10);
        window.Add(100.0, At(1), At(1));
        var laterSecond = 1 + window.BucketCount;

        window.Add(1.0, At(laterSecond), At(laterSecond));

        Assert.Equal(1.0, window.Evaluate(AlertAggregation.Sum, At(laterSecond)));
        Assert.Equal(0.0, window.Evaluate(AlertAggregation.Count, At(1)));
    }

    [Fact]
    public void Add_OlderBucketIntoNewerSlot_RejectedTooLate()
    {
        // Only reachable when now moves backwards between calls.
        var window = new SlidingWindow(10);
        var laterSecond = 1 + window.BucketCount;
        window.Add(1.0, At(laterSecond), At(laterSecond));

        var result = window.Add(100.0, At(1), At(1));

        Assert.Equal(SampleAddResult.RejectedTooLate, result);
        Assert.Equal(1.0, window.Evaluate(AlertAggregation.Sum, At(laterSecond)));
    }

    [Fact]
    public void Constructor_TwoHourWindow_UsesMinuteBuckets()
    {
        var window = new SlidingWindow(7200);

        Assert.Equal(60, window.BucketSeconds);
        Assert.Equal(124, window.BucketCount);
    }

    [Fact]
    public void Evaluate_TwoHourWindow_CountsWholeMinuteBuckets()
    {
        var window = new SlidingWindow(7200);
        var end = At(3 * 3600);

        for (var minute = 1; minute <= 180; minute++)
        {
            window.Add(1.0, At(minute * 60), At(minute * 60));
        }

        // Mid-bucket, the window reads whole minute buckets up to the end of the current one.
        Assert.Equal(120.0, window.Evaluate(AlertAggregation.Count, end));
        Assert.Equal(120.0, window.Evaluate(AlertAggregation.Count, end.AddSeconds(-1)));
        Assert.Equal(119.0, window.Evaluate(AlertAggregation.Count, end.AddSeconds(1)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3600, 1)]
    [InlineData(3660, 60)]
    [InlineData(86_400, 60)]
    public void Constructor_WindowLength_PicksBucketSize(int windowSeconds, int expectedBucketSeconds)
    {
        var window = new SlidingWindow(windowSeconds);

        Assert.Equal(expectedBucketSeconds, window.BucketSeconds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3601)]
    [InlineData(86_401)]
    public void Constructor_InvalidWindow_Throws(int windowSeconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindow(windowSeconds));
    }

    [Theory]
    [InlineData(100, AlertAggregation.P50, 50.0)]
    [InlineData(100, AlertAggregation.P95, 95.0)]
    [InlineData(100, AlertAggregation.P99, 99.0)]
    [InlineData(10, AlertAggregation.P50, 5.0)]
    [InlineData(10, AlertAggregation.P95, 10.0)]
    [InlineData(10, AlertAggregation.P99, 10.0)]
    [InlineData(1, AlertAggregation.P50, 1.0)]
    [InlineData(1, AlertAggregation.P99, 1.0)]
    [InlineData(3, AlertAggregation.P50, 2.0)]
    public void Evaluate_PercentileOfOneToN_UsesNearestRank(int sampleCount, AlertAggregation aggregation, double expected)
    {
        // Values 1..N in descending order, spread over several buckets.
        var window = new SlidingWindow(60);
        var now = At(100);
        for (var value = sampleCount; value >= 1; value--)
        {
            window.Add(value, At(50 + (value % 7)), now);
        }

        var result = window.Evaluate(aggregation, now);

        Assert.Equal(expected, result);
    }

    [Fact]
    public void Evaluate_PercentileWithNegativeValues_IsExact()
    {
        var window = new SlidingWindow(60);
        var now = At(100);
        foreach (var value in new[] { -5.0, 0.0, -1.0, 3.0 })
        {
            window.Add(value, now, now);
        }

        var result = window.Evaluate(AlertAggregation.P50, now);

        Assert.Equal(-1.0, result);
    }

    [Theory]
    [InlineData(AlertAggregation.P50, 10_000.0)]
    [InlineData(AlertAggregation.P95, 19_000.0)]
    [InlineData(AlertAggregation.P99, 19_800.0)]
    public void Evaluate_PercentileBeyondRawCap_WithinOnePercent(AlertAggregation aggregation, double exact)
    {
        var window = new SlidingWindow(60);
        var now = At(100);
        for (var value = 1; value <= 2 * SlidingWindow.MaxRetainedSamples; value++)
        {
            window.Add(value, At(41 + (value % 60)), now);
        }

        var result = window.Evaluate(aggregation, now);

        Assert.NotNull(result);
        Assert.InRange(result.Value, exact * 0.99, exact * 1.01);
    }

    [Fact]
    public void Evaluate_PercentileBeyondRawCapWithNegatives_WithinOnePercent()
    {
        var window = new SlidingWindow(60);
        var now = At(100);
        for (var value = 1; value <= 2 * SlidingWindow.MaxRetainedSamples; value++)
        {
            window.Add(-value, now, now);
        }

        // Sorted ascending the values run -20000..-1, so the nearest-rank p50 (rank 10000) is -10001.
        var result = window.Evaluate(AlertAggregation.P50, now);

        Assert.NotNull(result);
        Assert.InRange(result.Value, -10_001.0 * 1.01, -10_001.0 * 0.99);
    }

    [Fact]
    public void Add_MillionSamplesInOneSecond_KeepsBucketCountFixed()
    {
        var window = new SlidingWindow(60);
        var bucketCount = window.BucketCount;
        var now = At(100);

        for (var i = 0; i < 1_000_000; i++)
        {
            window.Add((i % 1000) + 1, now, now);
        }

        Assert.Equal(bucketCount, window.BucketCount);
        Assert.Equal(1_000_000.0, window.Evaluate(AlertAggregation.Count, now));
        Assert.Equal(1.0, window.Evaluate(AlertAggregation.Min, now));
        Assert.Equal(1000.0, window.Evaluate(AlertAggregation.Max, now));
        var median = window.Evaluate(AlertAggregation.P50, now);
        Assert.NotNull(median);
        Assert.InRange(median.Value, 500.0 * 0.99, 500.0 * 1.01);
    }

    [Fact]
    public void Coverage_NoStartBeforeAdd_IsUnknown()
    {
        var window = new SlidingWindow(60);

        Assert.Null(window.Coverage);
        Assert.False(window.HasFullWindow(At(1000)));
    }

    [Theory]
    [InlineData(59.0, false)]
    [InlineData(60.0, true)]
    [InlineData(500.0, true)]
    public void HasFullWindow_FromFirstAdd_NeedsOneWindowLength(double nowSeconds, bool expected)
    {
        var window = new SlidingWindow(60);
        window.Add(1.0, At(0), At(0));

        var result = window.HasFullWindow(At(nowSeconds));

        Assert.Equal(expected, result);
        Assert.Equal(At(0), window.Coverage?.ObservedSince);
    }

    [Fact]
    public void HasFullWindow_GivenStart_UsesIt()
    {
        var window = new SlidingWindow(60, observedSince: At(0));
        window.Add(1.0, At(50), At(50));

        Assert.False(window.HasFullWindow(At(59)));
        Assert.True(window.HasFullWindow(At(60)));
    }
}
