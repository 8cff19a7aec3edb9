using System.Globalization;
using MeshFlow.Grains.Delivery;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Delivery;

public sealed class DeliveryRetryTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "hmac-secret";

    // Long enough for a request that was wrongly sent to reach a receiver on the same machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    // How early DeliveryGrain still treats a wake-up as on time.
    private static readonly TimeSpan DueTolerance = TimeSpan.FromSeconds(1);

    private DeliveryCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Delivery_AlwaysFails_FailsAfterFourAttempts()
    {
        // The shared cluster keeps the default MaxRetries of 3, so a delivery makes at most 4 attempts.
        const string tenantId = "exhausted";
        await using var receiver = await TestReceiver.StartAsync(
            [.. Enumerable.Repeat(ReceiverResponse.WithStatus(500), 8)]);
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);
        await receiver.NextAsync();
        var info = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        var dueTimes = new List<DateTimeOffset>();

        for (var attempts = 2; attempts <= 4; attempts++)
        {
            dueTimes.Add(info.NextAttemptAt!.Value);
            await Cluster.AdvancePastNextAttemptAsync(info);
            await receiver.NextAsync();
            info = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == attempts);
        }

        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);
        await Cluster.AdvanceAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(DeliveryStatus.Failed, final.Status);
        Assert.Equal([1, 2, 3, 4], final.Attempts.Select(attempt => attempt.Number));
        Assert.All(final.Attempts, attempt => Assert.Equal(500, attempt.StatusCode));
        Assert.All(final.Attempts, attempt => Assert.Equal("HTTP 500", attempt.Error));
        for (var i = 0; i < dueTimes.Count; i++)
        {
            Assert.True(
                final.Attempts[i + 1].StartedAt >= dueTimes[i] - DueTolerance,
                $"Attempt {i + 2} started at {final.Attempts[i + 1].StartedAt:o}, "
                + $"before it was due at {dueTimes[i]:o}.");
        }

        Assert.Null(final.NextAttemptAt);
        Assert.NotNull(final.CompletedAt);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Equal(4, receiver.Requests.Count);
        Assert.Null(await Cluster.ReadReminderAsync(deliveryId));
    }

    [Fact]
    public async Task Delivery_Gone_FailsAndDisablesWebhook()
    {
        const string tenantId = "gone";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(410));
        var tenant = Cluster.Tenant(tenantId);
        var webhook = await tenant.RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));

        var first = await Cluster.PublishAsync(tenantId, new GovernanceEvent(EventTypes.PolicyViolation));
        await receiver.NextAsync();
        var failed = await Cluster.WaitForAsync(
            tenantId,
            first.DeliveryIds.Single(),
            d => d.Status != DeliveryStatus.Pending);
        var disabled = await tenant.GetWebhookAsync(webhook.Id);
        await Cluster.AdvanceAsync(TimeSpan.FromMinutes(2));
        var skipped = await Cluster.PublishAsync(tenantId, new GovernanceEvent(EventTypes.PolicyViolation));
        var stillDisabled = await tenant.GetWebhookAsync(webhook.Id);
        var enabled = await tenant.SetWebhookEnabledAsync(webhook.Id, enabled: true);
        var afterEnabling = await Cluster.PublishAsync(tenantId, new GovernanceEvent(EventTypes.HitlPending));
        var delivered = await Cluster.WaitForAsync(
            tenantId,
            afterEnabling.DeliveryIds.Single(),
            d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        var attempt = Assert.Single(failed.Attempts);
        Assert.Equal(410, attempt.StatusCode);
        Assert.Contains("410", attempt.Error, StringComparison.Ordinal);
        Assert.Null(failed.NextAttemptAt);
        Assert.Null(await Cluster.ReadReminderAsync(failed.Id));
        Assert.False(disabled.Enabled);
        Assert.Contains("410 Gone", disabled.DisabledReason, StringComparison.Ordinal);
        Assert.Contains(failed.Id, disabled.DisabledReason, StringComparison.Ordinal);
        Assert.Empty(skipped.DeliveryIds);
        Assert.False(stillDisabled.Enabled);
        Assert.True(enabled.Enabled);
        Assert.Null(enabled.DisabledReason);
        Assert.Equal(DeliveryStatus.Succeeded, delivered.Status);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task Delivery_Redirect_NotFollowedAndRetried(int status)
    {
        var tenantId = "redirect-" + status.ToString(CultureInfo.InvariantCulture);
        await using var target = await TestReceiver.StartAsync();
        await using var receiver = await TestReceiver.StartAsync(
            ReceiverResponse.WithHeader(status, "Location", target.Url.ToString()));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);

        await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        var redirected = afterFirst.Attempts[0];
        Assert.Equal(status, redirected.StatusCode);
        Assert.Contains("redirects are not followed", redirected.Error, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Pending, afterFirst.Status);
        Assert.NotNull(afterFirst.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempts.Count);
        Assert.Empty(target.Requests);
    }

    [Fact]
    public async Task Delivery_RetryAfterSeconds_WaitsExactly()
    {
        const string tenantId = "retry-after-seconds";
        await using var receiver = await TestReceiver.StartAsync(
            ReceiverResponse.WithHeader(503, "Retry-After", "30"));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);

        await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(25));
        var early = await Cluster.Delivery(deliveryId).GetAsync(tenantId);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(503, afterFirst.Attempts[0].StatusCode);
        Assert.Equal(afterFirst.Attempts[0].StartedAt + TimeSpan.FromSeconds(30), afterFirst.NextAttemptAt);
        Assert.Single(early.Attempts);
        Assert.Equal(DeliveryStatus.Pending, early.Status);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempts.Count);
        Assert.True(final.Attempts[1].StartedAt >= afterFirst.NextAttemptAt - DueTolerance);
    }

    [Fact]
    public async Task Delivery_RetryAfterDate_WaitsUntilDate()
    {
        const string tenantId = "retry-after-date";
        var retryAt = (Cluster.Clock.GetUtcNow() + TimeSpan.FromSeconds(40))
            .ToString("R", CultureInfo.InvariantCulture);
        await using var receiver = await TestReceiver.StartAsync(
            ReceiverResponse.WithHeader(429, "Retry-After", retryAt));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);

        await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30));
        var early = await Cluster.Delivery(deliveryId).GetAsync(tenantId);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        // The HTTP date has whole seconds, so the wait is the 40 s less the clock's fraction of a second.
        var expected = DateTimeOffset.ParseExact(retryAt, "R", CultureInfo.InvariantCulture);
        Assert.Equal(429, afterFirst.Attempts[0].StatusCode);
        Assert.Equal(expected, afterFirst.NextAttemptAt);
        Assert.InRange(
            (afterFirst.NextAttemptAt!.Value - afterFirst.Attempts[0].StartedAt).TotalSeconds,
            39.0,
            40.0);
        Assert.Single(early.Attempts);
        Assert.Equal(DeliveryStatus.Pending, early.Status);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.True(final.Attempts[1].StartedAt >= expected - DueTolerance);
    }

    [Fact]
    public async Task Delivery_HugeRetryAfter_WaitsMaxBackoff()
    {
        const string tenantId = "retry-after-capped";
        await using var receiver = await TestReceiver.StartAsync(
            ReceiverResponse.WithHeader(429, "Retry-After", "7200"));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);

        await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst, step: TimeSpan.FromSeconds(30));
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(afterFirst.Attempts[0].StartedAt + new DeliveryOptions().MaxBackoff, afterFirst.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempts.Count);
    }

    [Fact]
    public async Task Delivery_ReceiverHangs_RecordsTimeout()
    {
        const string tenantId = "timeout";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.Hang(TimeSpan.FromSeconds(20)));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);

        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        await receiver.NextAsync();
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        var timedOut = afterFirst.Attempts[0];
        Assert.Null(timedOut.StatusCode);
        Assert.Contains("timed out", timedOut.Error, StringComparison.Ordinal);
        Assert.InRange(timedOut.DurationMs, 1_900, 10_000);
        Assert.Equal(DeliveryStatus.Pending, afterFirst.Status);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
    }

    [Fact]
    public async Task Delivery_DeactivatedDuringBackoff_ReminderResumesIt()
    {
        const string tenantId = "deactivated";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(500));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);
        await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);
        var grain = Cluster.Delivery(deliveryId);

        var activeBeforeDeactivation = Cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _);
        await Cluster.Cluster.DeactivateAsync(grain);
        var activeAfterDeactivation = Cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _);
        await Cluster.AdvancePastNextAttemptAsync(afterFirst);
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.True(activeBeforeDeactivation);
        Assert.False(activeAfterDeactivation);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempts.Count);
        Assert.Equal(500, final.Attempts[0].StatusCode);
        Assert.Equal(200, final.Attempts[1].StatusCode);
        Assert.Null(await Cluster.ReadReminderAsync(deliveryId));
    }

    [Fact]
    public async Task ReminderTick_NotDue_SendsNothing()
    {
        const string tenantId = "tick-not-due";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(500));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);
        await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);

        await TickAsync(deliveryId);
        await TickAsync(deliveryId);
        var afterTicks = await Cluster.Delivery(deliveryId).GetAsync(tenantId);
        var sentEarly = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvancePastNextAttemptAsync(afterTicks);
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.False(sentEarly);
        Assert.Single(afterTicks.Attempts);
        Assert.Equal(DeliveryStatus.Pending, afterTicks.Status);
        Assert.Equal(afterFirst.NextAttemptAt, afterTicks.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempts.Count);
    }

    [Fact]
    public async Task ReminderTick_TwiceWhenDue_SendsOneAttempt()
    {
        const string tenantId = "tick-twice";
        await using var receiver = await TestReceiver.StartAsync(ReceiverResponse.WithStatus(500));
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);
        await receiver.NextAsync();
        var afterFirst = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Attempts.Count == 1);

        // Up to the due time only: the reminder itself fires a few seconds later.
        await Cluster.AdvanceAsync(afterFirst.NextAttemptAt!.Value - Cluster.Clock.GetUtcNow());
        await Task.WhenAll(TickAsync(deliveryId), TickAsync(deliveryId));
        await receiver.NextAsync();
        var final = await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempts.Count);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task ReminderTick_AfterSuccess_SendsNothing()
    {
        const string tenantId = "tick-finished";
        await using var receiver = await TestReceiver.StartAsync();
        var deliveryId = await PublishToNewWebhookAsync(tenantId, receiver);
        await receiver.NextAsync();
        await Cluster.WaitForAsync(tenantId, deliveryId, d => d.Status == DeliveryStatus.Succeeded);

        await TickAsync(deliveryId);
        var afterTick = await Cluster.Delivery(deliveryId).GetAsync(tenantId);

        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Single(afterTick.Attempts);
        Assert.Equal(DeliveryStatus.Succeeded, afterTick.Status);
        Assert.Null(await Cluster.ReadReminderAsync(deliveryId));
    }

    private async Task<string> PublishToNewWebhookAsync(string tenantId, TestReceiver receiver)
    {
        await Cluster.Tenant(tenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));
        var result = await Cluster.PublishAsync(tenantId, new GovernanceEvent(EventTypes.PolicyViolation));
        return Assert.Single(result.DeliveryIds);
    }

    // Delivers a reminder tick straight to the grain, as the reminder service does when a tick repeats.
    private Task TickAsync(string deliveryId)
    {
        var now = Cluster.Clock.GetUtcNow().UtcDateTime;
        var remindable = Cluster.Delivery(deliveryId).AsReference<IRemindable>();
        var status = new TickStatus(now, TimeSpan.FromMinutes(1), now);
        return remindable.ReceiveReminder(DeliveryGrain.ReminderName, status);
    }
}
