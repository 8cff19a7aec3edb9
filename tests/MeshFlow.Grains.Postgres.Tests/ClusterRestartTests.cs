using MeshFlow.Grains.Postgres.Tests.Infrastructure;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Stops every silo while deliveries wait for a retry, then starts a new cluster with the same service id on the
/// same database and checks that it finds the webhooks and finishes every delivery.
/// </summary>
public sealed class ClusterRestartTests
{
    private const string TenantId = "restart";
    private const string Secret = "hmac-secret-for-restart-tests";

    // Real time after the last clock step for a request that was wrongly sent to reach a receiver on this machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task PendingDeliveries_AfterFullClusterRestart_AllComplete()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var receiver = await TestReceiver.StartAsync();
        receiver.StatusCode = 503;
        var serviceId = InProcessPostgresCluster.NewServiceId();
        IReadOnlyList<Webhook> registered;
        var pending = new List<DeliveryInfo>();
        DateTimeOffset stoppedAt;
        await using (var first = await InProcessPostgresCluster.StartAsync(database, serviceId, DateTimeOffset.UtcNow))
        {
            var tenant = first.Tenant(TenantId);
            await tenant.RegisterWebhookAsync(
                new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard], "all events"));
            await tenant.RegisterWebhookAsync(
                new WebhookRegistration(receiver.Url + "?copy=2", Secret, [EventTypes.SlaBreach], "SLA only"));
            registered = await tenant.ListWebhooksAsync();
            var slaBreach = await first.PublishAsync(TenantId, new GovernanceEvent(EventTypes.SlaBreach));
            var hitlPending = await first.PublishAsync(TenantId, new GovernanceEvent(EventTypes.HitlPending));
            foreach (var deliveryId in slaBreach.DeliveryIds.Concat(hitlPending.DeliveryIds))
            {
                pending.Add(await first.WaitForStoredRetryAsync(TenantId, deliveryId, attempts: 1));
            }

            stoppedAt = first.Clock.GetUtcNow();
            await first.StopAsync();
        }

        var failedRequests = receiver.Requests.ToList();
        receiver.StatusCode = 200;
        await using var second = await InProcessPostgresCluster.StartAsync(database, serviceId, stoppedAt);
        var listed = await second.Tenant(TenantId).ListWebhooksAsync();
        var lastDue = pending.Max(info => info.NextAttemptAt!.Value);
        await second.AdvanceUntilAsync(
            () => receiver.Requests.Count >= failedRequests.Count + pending.Count,
            InProcessPostgresCluster.LatestReminderTick(lastDue),
            $"a second attempt of each of the {pending.Count} deliveries");
        var finished = new List<DeliveryInfo>();
        foreach (var info in pending)
        {
            finished.Add(await second.WaitForAsync(TenantId, info.Id, d => d.Status != DeliveryStatus.Pending));
        }

        var leftOver = await ReminderRows.WaitUntilNoneAsync(database, serviceId);
        var retriedRequests = receiver.Requests.Skip(failedRequests.Count).ToList();
        await second.AdvanceAsync(2 * InProcessPostgresCluster.ReminderPeriod);
        await Task.Delay(QuietPeriod);

        Assert.Equal(registered.Select(webhook => webhook.Id), listed.Select(webhook => webhook.Id));
        Assert.Equal(registered.Select(webhook => webhook.Url), listed.Select(webhook => webhook.Url));
        Assert.Equal(registered.Select(webhook => webhook.Description), listed.Select(webhook => webhook.Description));
        Assert.Equal(registered.Select(webhook => webhook.Enabled), listed.Select(webhook => webhook.Enabled));
        Assert.Equal(registered.Select(webhook => webhook.CreatedAt), listed.Select(webhook => webhook.CreatedAt));
        Assert.Equal(registered.Select(webhook => webhook.Events), listed.Select(webhook => webhook.Events));
        Assert.Equal(3, pending.Count);
        Assert.All(pending, info => Assert.Equal(503, Assert.Single(info.Attempts).StatusCode));
        Assert.All(finished, info => Assert.Equal(DeliveryStatus.Succeeded, info.Status));
        Assert.All(finished, info => Assert.Equal([503, 200], info.Attempts.Select(attempt => attempt.StatusCode)));
        Assert.Empty(leftOver);
        Assert.Equal(
            pending.Select(info => info.Id).Order(StringComparer.Ordinal),
            retriedRequests.Select(request => request.Header(WebhookHeaders.Delivery)).Order(StringComparer.Ordinal));
        foreach (var retried in retriedRequests)
        {
            var failed = failedRequests.Single(request =>
                request.Header(WebhookHeaders.Delivery) == retried.Header(WebhookHeaders.Delivery));
            Assert.Equal(failed.Body, retried.Body);
            Assert.True(WebhookSignature.Verify(retried.Body, retried.Header(WebhookSignature.HeaderName), Secret));
        }

        Assert.Equal(failedRequests.Count + pending.Count, receiver.Requests.Count);
    }
}
