using MeshFlow.Grains.Postgres.Tests.Infrastructure;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Kills the silo that hosts a delivery in backoff and checks that its reminder, stored in PostgreSQL, makes a
/// surviving silo finish the delivery.
/// </summary>
public sealed class SiloFailoverTests
{
    private const string TenantId = "failover";
    private const string Secret = "hmac-secret-for-failover-tests";

    // How early DeliveryGrain still treats a wake-up as on time.
    private static readonly TimeSpan DueTolerance = TimeSpan.FromSeconds(1);

    // Long enough for a request that was wrongly sent to reach a receiver on the same machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Delivery_HostSiloKilledInBackoff_CompletesOnSurvivor()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow);
        await using var receiver = await TestReceiver.StartAsync();
        receiver.StatusCode = 500;
        var deliveryId = await PublishToNewWebhookAsync(cluster, receiver);
        var failed = await receiver.NextAsync();
        var inBackoff = await cluster.WaitForStoredRetryAsync(TenantId, deliveryId, attempts: 1);
        var grainId = cluster.Delivery(deliveryId).GetGrainId();
        var host = cluster.FindActivationSilo(grainId)
            ?? throw new InvalidOperationException($"No silo hosts an activation of delivery {deliveryId}.");
        var dueAt = inBackoff.NextAttemptAt!.Value;

        await cluster.KillSiloAsync(host);
        receiver.StatusCode = 200;
        await cluster.AdvanceUntilAsync(
            () => receiver.Requests.Count >= 2,
            InProcessPostgresCluster.LatestReminderTick(dueAt),
            "a second attempt of the delivery");
        var retried = await receiver.NextAsync();
        var final = await cluster.WaitForAsync(TenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.DoesNotContain(cluster.Cluster.GetActiveSilos(), silo => silo.SiloAddress.Equals(host.SiloAddress));
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal([500, 200], final.Attempts.Select(attempt => attempt.StatusCode));
        var second = final.Attempts[1];
        Assert.True(
            second.StartedAt >= dueAt - DueTolerance,
            $"The second attempt started at {second.StartedAt:O}, before it was due at {dueAt:O}.");
        Assert.True(
            second.StartedAt <= InProcessPostgresCluster.LatestReminderTick(dueAt),
            $"The second attempt started at {second.StartedAt:O}, more than one reminder period after {dueAt:O}.");
        Assert.Equal(deliveryId, failed.Header(WebhookHeaders.Delivery));
        Assert.Equal(deliveryId, retried.Header(WebhookHeaders.Delivery));
        Assert.Equal(failed.Body, retried.Body);
        Assert.True(WebhookSignature.Verify(retried.Body, retried.Header(WebhookSignature.HeaderName), Secret));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task ReminderTick_AfterSiloKilled_SendsOnlyWhenDue()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow);
        await using var receiver = await TestReceiver.StartAsync();
        receiver.StatusCode = 500;
        var deliveryId = await PublishToNewWebhookAsync(cluster, receiver);
        await receiver.NextAsync();
        var inBackoff = await cluster.WaitForStoredRetryAsync(TenantId, deliveryId, attempts: 1);
        var delivery = cluster.Delivery(deliveryId);
        var host = cluster.FindActivationSilo(delivery.GetGrainId())
            ?? throw new InvalidOperationException($"No silo hosts an activation of delivery {deliveryId}.");
        var dueAt = inBackoff.NextAttemptAt!.Value;

        await cluster.KillSiloAsync(host);
        receiver.StatusCode = 200;
        await SendDuplicateTickAsync(cluster, delivery);
        var sentEarly = await receiver.AnyWithinAsync(QuietPeriod);
        var afterEarlyTick = await delivery.GetAsync(TenantId);
        await cluster.AdvanceUntilAsync(
            () => receiver.Requests.Count >= 2,
            InProcessPostgresCluster.LatestReminderTick(dueAt),
            "a second attempt of the delivery");
        await receiver.NextAsync();
        var final = await cluster.WaitForAsync(TenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);
        var leftOver = await ReminderRows.WaitUntilNoneAsync(database, cluster.ServiceId);
        await SendDuplicateTickAsync(cluster, delivery);
        var sentLate = await receiver.AnyWithinAsync(QuietPeriod);
        var afterLateTick = await delivery.GetAsync(TenantId);

        Assert.False(sentEarly);
        Assert.Equal(DeliveryStatus.Pending, afterEarlyTick.Status);
        Assert.Single(afterEarlyTick.Attempts);
        Assert.Equal(dueAt, afterEarlyTick.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(2, final.Attempts.Count);
        Assert.Empty(leftOver);
        Assert.False(sentLate);
        Assert.Equal(DeliveryStatus.Succeeded, afterLateTick.Status);
        Assert.Equal(final.Attempts, afterLateTick.Attempts);
        Assert.Equal(final.CompletedAt, afterLateTick.CompletedAt);
        Assert.Empty(await ReminderRows.ReadGrainIdsAsync(database, cluster.ServiceId));
        Assert.Equal(2, receiver.Requests.Count);
    }

    private static async Task<string> PublishToNewWebhookAsync(InProcessPostgresCluster cluster, TestReceiver receiver)
    {
        await cluster.Tenant(TenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));
        var published = await cluster.PublishAsync(
            TenantId,
            new GovernanceEvent(EventTypes.PolicyViolation, RunId: "run-failover"));
        return Assert.Single(published.DeliveryIds);
    }

    // Calls the grain the way the reminder service does, as a stale owner or a repeated tick would.
    private static Task SendDuplicateTickAsync(InProcessPostgresCluster cluster, IDeliveryGrain delivery)
    {
        var now = cluster.Clock.GetUtcNow().UtcDateTime;
        return delivery.AsReference<IRemindable>().ReceiveReminder(
            InProcessPostgresCluster.DeliveryReminderName,
            new TickStatus(now, InProcessPostgresCluster.ReminderPeriod, now));
    }
}
