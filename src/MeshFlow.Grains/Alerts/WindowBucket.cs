namespace MeshFlow.Grains.Alerts;

/// <summary>
/// One slot of the <see cref="SlidingWindow"/> ring: the summary of the samples whose timestamps fall in one bucket.
/// </summary>
internal sealed class WindowBucket
{
    /// <summary>The bucket key that no timestamp maps to, marking a slot that was never written.</summary>
    public const long EmptyKey = long.MinValue;

    /// <summary>The key of the bucket this slot currently stores, mapped from timestamps as <see cref="SlidingWindow"/> describes.</summary>
    public long Key { get; private set; } = EmptyKey;

    /// <summary>The number of samples.</summary>
    public long Count { get; private set; }

    /// <summary>The sum of the samples, held within ±<see cref="double.MaxValue"/> by <see cref="SlidingWindow.SaturatingAdd"/>.</summary>
    public double Sum { get; private set; }

    /// <summary>The smallest sample, or positive infinity when empty.</summary>
    public double Min { get; private set; } = double.PositiveInfinity;

    /// <summary>The largest sample, or negative infinity when empty.</summary>
    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>The raw samples, complete only while <see cref="HasAllSamples"/> is true.</summary>
    public List<double> Samples { get; } = [];

    /// <summary>Whether <see cref="Samples"/> contains every sample of this bucket.</summary>
    public bool HasAllSamples { get; private set; } = true;

    /// <summary>The approximate distribution of every sample of this bucket.</summary>
    public LogHistogram Histogram { get; } = new();

    /// <summary>Empties the slot and assigns it to the bucket <paramref name="key"/>.</summary>
    public void Reset(long key)
    {
        Key = key;
        Count = 0;
        Sum = 0.0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
        Samples.Clear();
        HasAllSamples = true;
        Histogram.Clear();
    }

    /// <summary>Updates the summary with one finite value, keeping the raw value only if <paramref name="keepRaw"/>.</summary>
    public void Add(double value, bool keepRaw)
    {
        Count++;
        Sum = SlidingWindow.SaturatingAdd(Sum, value);
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
        Histogram.Add(value);
        if (keepRaw && HasAllSamples)
        {
            Samples.Add(value);
        }
    }

    /// <summary>Drops the raw samples because the window's cap was reached, so percentiles then use the histogram.</summary>
    public void DropRawSamples()
    {
        Samples.Clear();
        Samples.TrimExcess();
        HasAllSamples = false;
    }
}
