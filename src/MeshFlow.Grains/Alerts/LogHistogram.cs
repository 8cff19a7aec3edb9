namespace MeshFlow.Grains.Alerts;

/// <summary>
/// A histogram with logarithmically spaced bins, in the style of DDSketch, that resolves rank queries with a relative
/// error of at most <see cref="RelativeAccuracy"/>.
/// </summary>
/// <remarks>
/// A positive value v falls in bin <c>i = ceil(log_gamma(v))</c> with <c>gamma = (1 + a) / (1 - a)</c>, so the bin covers
/// <c>(gamma^(i-1), gamma^i]</c> and its representative <c>2 gamma^i / (gamma + 1)</c> is within a relative error a of
/// every value in it. Negative values use a mirrored set of bins. Values whose magnitude is below
/// <see cref="MinIndexableMagnitude"/> are counted as zero. The number of bins is bounded by the range of
/// <see cref="double"/> (a few tens of thousands at most), not by the number of samples.
/// </remarks>
internal sealed class LogHistogram
{
    /// <summary>The maximum relative error of a value returned by <see cref="GetValueAtRank"/>.</summary>
    public const double RelativeAccuracy = 0.01;

    /// <summary>The smallest magnitude that gets its own bin. Smaller magnitudes are reported as 0.</summary>
    public const double MinIndexableMagnitude = 1e-9;

    private static readonly double Gamma = (1.0 + RelativeAccuracy) / (1.0 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    private readonly Dictionary<int, long> positiveBins = [];
    private readonly Dictionary<int, long> negativeBins = [];
    private long zeroCount;

    /// <summary>The number of values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Records one finite value.</summary>
    public void Add(double value)
    {
        Count++;
        var magnitude = Math.Abs(value);
        if (magnitude < MinIndexableMagnitude)
        {
            zeroCount++;
            return;
        }

        var bins = value > 0 ? positiveBins : negativeBins;
        var index = GetBinIndex(magnitude);
        bins[index] = bins.GetValueOrDefault(index) + 1;
    }

    /// <summary>Adds every count of this histogram to <paramref name="target"/>.</summary>
    public void MergeInto(LogHistogram target)
    {
        foreach (var (index, count) in positiveBins)
        {
            target.positiveBins[index] = target.positiveBins.GetValueOrDefault(index) + count;
        }

        foreach (var (index, count) in negativeBins)
        {
            target.negativeBins[index] = target.negativeBins.GetValueOrDefault(index) + count;
        }

        target.zeroCount += zeroCount;
        target.Count += Count;
    }

    /// <summary>Removes all values.</summary>
    public void Clear()
    {
        positiveBins.Clear();
        negativeBins.Clear();
        zeroCount = 0;
        Count = 0;
    }

    /// <summary>
    /// Returns an estimate of the value with the given 1-based rank in ascending order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> is not between 1 and <see cref="Count"/>.</exception>
    public double GetValueAtRank(long rank)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, Count);

        // Ascending order: negative bins from the largest magnitude down, then zeros, then positive bins upward.
        var seen = 0L;
        foreach (var index in negativeBins.Keys.OrderByDescending(index => index))
        {
            seen += negativeBins[index];
            if (seen >= rank)
            {
                return -GetRepresentative(index);
            }
        }

        seen += zeroCount;
        if (seen >= rank)
        {
            return 0.0;
        }

        foreach (var index in positiveBins.Keys.Order())
        {
            seen += positiveBins[index];
            if (seen >= rank)
            {
                return GetRepresentative(index);
            }
        }

        throw new InvalidOperationException("The histogram bin counts do not add up to its total count.");
    }

    private static int GetBinIndex(double magnitude)
    {
        return (int)Math.Ceiling(Math.Log(magnitude) / LogGamma);
    }

    private static double GetRepresentative(int index)
    {
        return 2.0 * Math.Pow(Gamma, index) / (Gamma + 1.0);
    }
}
