using MeshFlow.Grains.Delivery;

namespace MeshFlow.Grains.Tests.Delivery;

public sealed class RetryScheduleTests
{
    // A jitter sample of 0.5 scales the backoff by exactly 1.
    private const double NoJitter = 0.5;

    // The largest sample below 1, which scales the backoff by just under 1.2.
    private static readonly double HighestJitter = Math.BitDecrement(1.0);

    // Defaults: 10 s first backoff growing five-fold, capped at 1 hour.
    private static readonly DeliveryOptions Options = new();

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 50)]
    [InlineData(3, 250)]
    [InlineData(4, 1250)]
    [InlineData(5, 3600)]
    [InlineData(6, 3600)]
    public void ComputeBackoff_NoJitter_GrowsFiveFoldUpToCap(int failedAttempt, int expectedSeconds)
    {
        var delay = RetrySchedule.ComputeBackoff(failedAttempt, Options, NoJitter);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 40)]
    [InlineData(3, 200)]
    public void ComputeBackoff_LowestJitter_IsEightTenths(int failedAttempt, int expectedSeconds)
    {
        var delay = RetrySchedule.ComputeBackoff(failedAttempt, Options, jitterSample: 0.0);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Theory]
    [InlineData(1, 12)]
    [InlineData(2, 60)]
    [InlineData(3, 300)]
    public void ComputeBackoff_HighestJitter_IsJustBelowTwelveTenths(int failedAttempt, int expectedSeconds)
    {
        var delay = RetrySchedule.ComputeBackoff(failedAttempt, Options, HighestJitter);

        Assert.InRange(delay.TotalSeconds, expectedSeconds - 0.001, expectedSeconds);
    }

    [Fact]
    public void ComputeBackoff_AtCap_JitterStillApplies()
    {
        var delay = RetrySchedule.ComputeBackoff(10, Options, jitterSample: 0.0);

        Assert.Equal(TimeSpan.FromSeconds(2880), delay);
    }

    [Fact]
    public void ComputeBackoff_AnyInput_NeverAboveCap()
    {
        double[] samples = [0.0, 0.25, NoJitter, 0.75, HighestJitter];

        for (var failedAttempt = 1; failedAttempt <= 40; failedAttempt++)
        {
            foreach (var sample in samples)
            {
                var delay = RetrySchedule.ComputeBackoff(failedAttempt, Options, sample);

                Assert.True(
                    delay <= Options.MaxBackoff,
                    $"Attempt {failedAttempt} with jitter {sample} waits {delay}, above {Options.MaxBackoff}.");
            }
        }
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(int.MaxValue)]
    public void ComputeBackoff_HugeAttemptNumber_StaysAtCap(int failedAttempt)
    {
        var delay = RetrySchedule.ComputeBackoff(failedAttempt, Options, NoJitter);

        Assert.Equal(Options.MaxBackoff, delay);
    }

    [Fact]
    public void ComputeBackoff_MultiplierOne_KeepsInitialBackoff()
    {
        var options = new DeliveryOptions { BackoffMultiplier = 1, InitialBackoff = TimeSpan.FromSeconds(7) };

        var first = RetrySchedule.ComputeBackoff(1, options, NoJitter);
        var tenth = RetrySchedule.ComputeBackoff(10, options, NoJitter);

        Assert.Equal(TimeSpan.FromSeconds(7), first);
        Assert.Equal(TimeSpan.FromSeconds(7), tenth);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void ComputeBackoff_AttemptBelowOne_Throws(int failedAttempt)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => RetrySchedule.ComputeBackoff(failedAttempt, Options, NoJitter));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity)]
    public void ComputeBackoff_JitterOutsideUnitRange_Throws(double jitterSample)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrySchedule.ComputeBackoff(1, Options, jitterSample));
    }

    [Fact]
    public void ComputeBackoff_NaNJitter_Throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => RetrySchedule.ComputeBackoff(1, Options, double.NaN));
    }

    [Fact]
    public void ComputeBackoff_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => RetrySchedule.ComputeBackoff(1, null!, NoJitter));
    }
}
