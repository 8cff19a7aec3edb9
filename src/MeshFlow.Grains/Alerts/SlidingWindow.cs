namespace MeshFlow.Grains.Alerts;

/// <summary>
/// A time-based sliding window of numeric samples with constant-time insertion and memory that does not grow with the
/// sample rate. It is not thread-safe, so callers such as a grain must serialise access.
/// </summary>
/// <remarks>
/// <para>
/// Buckets: samples are summarised per bucket of <see cref="BucketSeconds"/> seconds, which is 1 s for windows up to
/// 3600 s and 60 s for longer windows (up to 86 400 s, which must then be a whole number of minutes). A timestamp t
/// falls in the bucket with key <c>k = ceil(t / bucket)</c>, so bucket k covers the half-open interval
/// <c>((k - 1) * bucket, k * bucket]</c> on the UTC tick scale. The ring contains <see cref="BucketCount"/> slots, enough for the
/// window plus <see cref="LatenessHorizon"/> and <see cref="MaxClockSkew"/>. Bucket k lives in slot <c>k mod BucketCount</c>,
/// and a slot that still contains an older bucket is reset when a sample for a newer bucket arrives.
/// </para>
/// <para>
/// Window edges: <see cref="Evaluate"/> covers the left-open, right-closed interval <c>(now - W, now]</c>, rounded to
/// whole buckets: it reads the buckets <c>kNow - W / bucket &lt; k &lt;= kNow</c>, where <c>kNow</c> is the bucket
/// containing <c>now</c>. When <c>now</c> lies on a bucket boundary the interval is exact. Otherwise samples up to the end of the
/// current bucket (at most <see cref="MaxClockSkew"/> ahead of <c>now</c>) are counted, and the start moves forward by
/// less than one bucket.
/// </para>
/// <para>
/// Sums saturate at <see cref="double.MaxValue"/> and <see cref="double.MinValue"/> rather than overflowing, so every
/// aggregate of finite samples is finite.
/// </para>
/// <para>
/// Percentiles use the nearest-rank method: the p-th percentile of N samples is the sample with 1-based rank
/// <c>ceil(p * N / 100)</c> in ascending order. They are exact while the window retains every raw sample, which it does
/// until <see cref="MaxRetainedSamples"/> raw samples are stored across the ring. Buckets that overflow the cap keep only a
/// logarithmic histogram, and a window that contains such a bucket computes percentiles from the merged histograms with a
/// relative error of at most 1 % (values of magnitude below 1e-9 are reported as 0), clamped to the window's min and max.
/// </para>
/// </remarks>
public sealed class SlidingWindow
{
    /// <summary>The longest window that uses 1 s buckets.</summary>
    public const int MaxFineWindowSeconds = AlertRule.MaxFineWindowSeconds;

    /// <summary>The bucket length for windows longer than <see cref="MaxFineWindowSeconds"/>.</summary>
    public const int CoarseBucketSeconds = AlertRule.CoarseBucketSeconds;

    /// <summary>The longest supported window: one day.</summary>
    public const int MaxWindowSeconds = AlertRule.MaxWindowSeconds;

    /// <summary>The number of raw samples kept across the ring for exact percentiles.</summary>
    public const int MaxRetainedSamples = 10_000;

    /// <summary>How far before the window start a sample may be and still be accepted.</summary>
    public static readonly TimeSpan LatenessHorizon = MetricSample.LatenessHorizon;

    /// <summary>How far after <c>now</c> a sample may be and still be accepted, to tolerate clock differences between hosts.</summary>
    public static readonly TimeSpan MaxClockSkew = MetricSample.MaxClockSkew;

    private readonly WindowBucket[] ring;
    private readonly long bucketTicks;
    private readonly int windowBucketCount;
    private int retainedSampleCount;
    private DateTimeOffset? observedSince;

    /// <summary>
    /// Creates an empty window.
    /// </summary>
    /// <param name="windowSeconds">The window length W in seconds, from 1 to 86 400, and a multiple of 60 above 3600.</param>
    /// <param name="observedSince">
    /// The time from which the caller has been feeding samples. When it is <see langword="null"/>, coverage starts at the
    /// <c>now</c> of the first <see cref="Add"/> call.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="windowSeconds"/> is out of range or not a whole number of coarse buckets.</exception>
    public SlidingWindow(int windowSeconds, DateTimeOffset? observedSince = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSeconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowSeconds, MaxWindowSeconds);

        BucketSeconds = windowSeconds <= MaxFineWindowSeconds ? 1 : CoarseBucketSeconds;
        if (windowSeconds % BucketSeconds != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(windowSeconds),
                windowSeconds,
                $"Windows longer than {MaxFineWindowSeconds} s must be a multiple of {CoarseBucketSeconds} s.");
        }

        Window = TimeSpan.FromSeconds(windowSeconds);
        bucketTicks = BucketSeconds * TimeSpan.TicksPerSecond;
        windowBucketCount = windowSeconds / BucketSeconds;

        // The extra two slots absorb rounding of the lateness and skew margins to whole buckets.
        var latenessBuckets = (int)Math.Ceiling(LatenessHorizon.TotalSeconds / BucketSeconds);
        var skewBuckets = (int)Math.Ceiling(MaxClockSkew.TotalSeconds / BucketSeconds);
        ring = new WindowBucket[windowBucketCount + latenessBuckets + skewBuckets + 2];
        for (var i = 0; i < ring.Length; i++)
        {
            ring[i] = new WindowBucket();
        }

        this.observedSince = observedSince;
    }

    /// <summary>The window length W.</summary>
    public TimeSpan Window { get; }

    /// <summary>The bucket length in seconds: 1, or <see cref="CoarseBucketSeconds"/> for windows above one hour.</summary>
    public int BucketSeconds { get; }

    /// <summary>The fixed number of buckets in the ring.</summary>
    public int BucketCount => ring.Length;

    /// <summary>The number of samples rejected because the value was NaN or infinite.</summary>
    public long RejectedNotFiniteCount { get; private set; }

    /// <summary>The number of samples rejected as older than the lateness horizon.</summary>
    public long RejectedTooLateCount { get; private set; }

    /// <summary>The number of samples rejected as too far in the future.</summary>
    public long RejectedFutureCount { get; private set; }

    /// <summary>The observed span, or <see langword="null"/> before the first <see cref="Add"/> when no start was given.</summary>
    public WindowCoverage? Coverage => observedSince is { } since ? new WindowCoverage(since, Window) : null;

    /// <summary>
    /// Tests whether the window has observed at least one full window length by <paramref name="now"/>.
    /// </summary>
    public bool HasFullWindow(DateTimeOffset now)
    {
        return Coverage?.HasFullWindow(now) ?? false;
    }

    /// <summary>
    /// Adds a sample, or rejects it and counts the rejection.
    /// </summary>
    /// <param name="value">The sample value, which must be finite.</param>
    /// <param name="timestamp">When the sample was measured.</param>
    /// <param name="now">The current time.</param>
    /// <returns>
    /// <see cref="SampleAddResult.RejectedTooLate"/> when <paramref name="timestamp"/> is at or before
    /// <c>now - W - LatenessHorizon</c>, or when its ring slot already contains a newer bucket (which happens only
    /// if <paramref name="now"/> moves backwards between calls). <see cref="SampleAddResult.RejectedFuture"/> when it
    /// is more than <see cref="MaxClockSkew"/> after <paramref name="now"/>.
    /// </returns>
    public SampleAddResult Add(double value, DateTimeOffset timestamp, DateTimeOffset now)
    {
        observedSince ??= now;

        if (!double.IsFinite(value))
        {
            RejectedNotFiniteCount++;
            return SampleAddResult.RejectedNotFinite;
        }

        // Compared on the tick scale so that extreme timestamps cannot overflow DateTimeOffset arithmetic.
        var ticks = timestamp.UtcTicks;
        if (ticks > now.UtcTicks + MaxClockSkew.Ticks)
        {
            RejectedFutureCount++;
            return SampleAddResult.RejectedFuture;
        }

        if (ticks <= now.UtcTicks - Window.Ticks - LatenessHorizon.Ticks)
        {
            RejectedTooLateCount++;
            return SampleAddResult.RejectedTooLate;
        }

        var key = GetBucketKey(ticks);
        var bucket = ring[GetSlot(key)];
        if (bucket.Key > key)
        {
            RejectedTooLateCount++;
            return SampleAddResult.RejectedTooLate;
        }

        if (bucket.Key != key)
        {
            retainedSampleCount -= bucket.Samples.Count;
            bucket.Reset(key);
        }

        var keepRaw = bucket.HasAllSamples && retainedSampleCount < MaxRetainedSamples;
        if (bucket.HasAllSamples && !keepRaw)
        {
            retainedSampleCount -= bucket.Samples.Count;
            bucket.DropRawSamples();
        }

        bucket.Add(value, keepRaw);
        if (keepRaw)
        {
            retainedSampleCount++;
        }

        return SampleAddResult.Accepted;
    }

    /// <summary>
    /// Aggregates the samples in the window ending at <paramref name="now"/>.
    /// </summary>
    /// <returns>The aggregate, 0 for <see cref="AlertAggregation.Count"/> on an empty window, or <see langword="null"/> for any other aggregation on an empty window.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="aggregation"/> is not a defined member.</exception>
    public double? Evaluate(AlertAggregation aggregation, DateTimeOffset now)
    {
        var live = GetLiveBuckets(now);
        var count = live.Sum(bucket => bucket.Count);
        if (aggregation == AlertAggregation.Count)
        {
            return count;
        }

        if (count == 0)
        {
            return null;
        }

        return aggregation switch
        {
            AlertAggregation.Sum => SumOf(live),
            AlertAggregation.Avg => SumOf(live) / count,
            AlertAggregation.Min => live.Min(bucket => bucket.Min),
            AlertAggregation.Max => live.Max(bucket => bucket.Max),
            AlertAggregation.P50 => GetPercentile(live, count, 50),
            AlertAggregation.P95 => GetPercentile(live, count, 95),
            AlertAggregation.P99 => GetPercentile(live, count, 99),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown alert aggregation."),
        };
    }

    /// <summary>
    /// Adds two finite numbers, returning <see cref="double.MaxValue"/> or <see cref="double.MinValue"/> where the
    /// exact sum would overflow, so a sum never becomes infinite or, by adding opposite infinities, NaN.
    /// </summary>
    internal static double SaturatingAdd(double left, double right)
    {
        var sum = left + right;
        if (double.IsFinite(sum))
        {
            return sum;
        }

        return sum > 0 ? double.MaxValue : double.MinValue;
    }

    private static double SumOf(List<WindowBucket> live)
    {
        var sum = 0.0;
        foreach (var bucket in live)
        {
            sum = SaturatingAdd(sum, bucket.Sum);
        }

        return sum;
    }

    private static double GetPercentile(List<WindowBucket> live, long count, int percent)
    {
        // Integer arithmetic keeps ceil(p * N / 100) exact, because 0.95 * N in floating point can land just above an integer.
        var rank = Math.Max(1, ((percent * count) + 99) / 100);

        if (live.TrueForAll(bucket => bucket.HasAllSamples))
        {
            var samples = live.SelectMany(bucket => bucket.Samples).ToArray();
            Array.Sort(samples);
            return samples[rank - 1];
        }

        var merged = new LogHistogram();
        foreach (var bucket in live)
        {
            bucket.Histogram.MergeInto(merged);
        }

        var estimate = merged.GetValueAtRank(rank);
        return Math.Clamp(estimate, live.Min(bucket => bucket.Min), live.Max(bucket => bucket.Max));
    }

    private List<WindowBucket> GetLiveBuckets(DateTimeOffset now)
    {
        var newestKey = GetBucketKey(now.UtcTicks);
        var oldestKey = newestKey - windowBucketCount + 1;
        var live = new List<WindowBucket>();
        foreach (var bucket in ring)
        {
            if (bucket.Key >= oldestKey && bucket.Key <= newestKey && bucket.Count > 0)
            {
                live.Add(bucket);
            }
        }

        return live;
    }

    private long GetBucketKey(long ticks)
    {
        // Ceiling division: ticks are never negative, and a timestamp on a boundary belongs to the bucket it ends.
        return (ticks + bucketTicks - 1) / bucketTicks;
    }

    private int GetSlot(long key)
    {
        return (int)(key % ring.Length);
    }
}
