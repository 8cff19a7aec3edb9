using MeshFlow.Grains.Delivery;

namespace MeshFlow.Grains.Tests.Delivery;

public sealed class DeliveryPolicyTests
{
    // A jitter sample of 0.5 scales the backoff by exactly 1.
    private const double NoJitter = 0.5;

    // Defaults: 3 retries, 10 s first backoff growing five-fold, capped at 1 hour.
    private static readonly DeliveryOptions Options = new();

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(299)]
    public void Decide_Status2xx_Succeeds(int status)
    {
        var decision = DeliveryPolicy.Decide(Answered(status), 1, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Succeeded, decision.Kind);
        Assert.Null(decision.Delay);
        Assert.Null(decision.Error);
    }

    [Fact]
    public void Decide_SuccessOnLastAttempt_Succeeds()
    {
        var decision = DeliveryPolicy.Decide(Answered(200), Options.MaxRetries + 1, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Succeeded, decision.Kind);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Decide_Status410_IsGone(int attemptNumber)
    {
        var decision = DeliveryPolicy.Decide(Answered(410), attemptNumber, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Gone, decision.Kind);
        Assert.Null(decision.Delay);
        Assert.Contains("410", decision.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public void Decide_Redirect_RetriesWithRedirectError(int status)
    {
        var decision = DeliveryPolicy.Decide(Answered(status), 1, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Retry, decision.Kind);
        Assert.Equal(TimeSpan.FromSeconds(10), decision.Delay);
        Assert.Contains($"HTTP {status}", decision.Error, StringComparison.Ordinal);
        Assert.Contains("redirects are not followed", decision.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(502)]
    public void Decide_ErrorStatus_RetriesWithBackoff(int status)
    {
        var decision = DeliveryPolicy.Decide(Answered(status), 1, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Retry, decision.Kind);
        Assert.Equal(TimeSpan.FromSeconds(10), decision.Delay);
        Assert.Equal($"HTTP {status}", decision.Error);
    }

    [Fact]
    public void Decide_NoResponse_RetriesWithSenderError()
    {
        var outcome = new AttemptOutcome(null, "timed out after 2 s", null, TimeSpan.FromSeconds(2));

        var decision = DeliveryPolicy.Decide(outcome, 2, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Retry, decision.Kind);
        Assert.Equal(TimeSpan.FromSeconds(50), decision.Delay);
        Assert.Equal("timed out after 2 s", decision.Error);
    }

    [Fact]
    public void Decide_NoResponseWithoutError_SaysNoResponse()
    {
        var outcome = new AttemptOutcome(null, null, null, TimeSpan.Zero);

        var decision = DeliveryPolicy.Decide(outcome, 1, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Retry, decision.Kind);
        Assert.Equal("no response", decision.Error);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void Decide_RetryAfterOn429Or503_WaitsThatLong(int status)
    {
        var outcome = Answered(status, TimeSpan.FromSeconds(30));

        var decision = DeliveryPolicy.Decide(outcome, 1, Options, jitterSample: 0.0);

        Assert.Equal(DeliveryDecisionKind.Retry, decision.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), decision.Delay);
        Assert.Equal($"HTTP {status}", decision.Error);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void Decide_RetryAfterAboveMaxBackoff_CapsAtMaxBackoff(int status)
    {
        var outcome = Answered(status, TimeSpan.FromHours(2));

        var decision = DeliveryPolicy.Decide(outcome, 1, Options, NoJitter);

        Assert.Equal(TimeSpan.FromHours(1), decision.Delay);
    }

    [Fact]
    public void Decide_NegativeRetryAfter_UsesBackoff()
    {
        var outcome = Answered(503, TimeSpan.FromSeconds(-5));

        var decision = DeliveryPolicy.Decide(outcome, 1, Options, NoJitter);

        Assert.Equal(TimeSpan.FromSeconds(10), decision.Delay);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Decide_RetryAfterShorterThanBackoff_UsesBackoff(int seconds)
    {
        var outcome = Answered(429, TimeSpan.FromSeconds(seconds));

        var decision = DeliveryPolicy.Decide(outcome, 2, Options, NoJitter);

        Assert.Equal(TimeSpan.FromSeconds(50), decision.Delay);
    }

    [Fact]
    public void Decide_429WithoutRetryAfter_UsesBackoff()
    {
        var decision = DeliveryPolicy.Decide(Answered(429), 2, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Retry, decision.Kind);
        Assert.Equal(TimeSpan.FromSeconds(50), decision.Delay);
    }

    [Fact]
    public void Decide_500WithRetryAfter_IgnoresRetryAfter()
    {
        var outcome = Answered(500, TimeSpan.FromSeconds(30));

        var decision = DeliveryPolicy.Decide(outcome, 1, Options, NoJitter);

        Assert.Equal(TimeSpan.FromSeconds(10), decision.Delay);
    }

    [Fact]
    public void Decide_LastRetry_StillRetries()
    {
        var decision = DeliveryPolicy.Decide(Answered(500), Options.MaxRetries, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Retry, decision.Kind);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(302)]
    public void Decide_AttemptAboveMaxRetries_IsExhausted(int status)
    {
        var outcome = Answered(status, TimeSpan.FromSeconds(30));

        var decision = DeliveryPolicy.Decide(outcome, Options.MaxRetries + 1, Options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Exhausted, decision.Kind);
        Assert.Null(decision.Delay);
        Assert.StartsWith($"HTTP {status}", decision.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_MaxRetriesZero_FirstFailureIsExhausted()
    {
        var options = new DeliveryOptions { MaxRetries = 0 };

        var decision = DeliveryPolicy.Decide(Answered(500), 1, options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Exhausted, decision.Kind);
    }

    [Fact]
    public void Decide_MaxRetriesZero_SuccessStillSucceeds()
    {
        var options = new DeliveryOptions { MaxRetries = 0 };

        var decision = DeliveryPolicy.Decide(Answered(200), 1, options, NoJitter);

        Assert.Equal(DeliveryDecisionKind.Succeeded, decision.Kind);
    }

    [Fact]
    public void Decide_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DeliveryPolicy.Decide(null!, 1, Options, NoJitter));
        Assert.Throws<ArgumentNullException>(() => DeliveryPolicy.Decide(Answered(200), 1, null!, NoJitter));
    }

    private static AttemptOutcome Answered(int status, TimeSpan? retryAfter = null) =>
        new(status, null, retryAfter, TimeSpan.FromMilliseconds(15));
}
