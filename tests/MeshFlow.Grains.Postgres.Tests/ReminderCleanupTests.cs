using MeshFlow.Grains.Postgres.Tests.Infrastructure;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Checks in the PostgreSQL reminder table that a delivery keeps its reminder only while it is pending: every
/// silo reads all the reminder rows of its range on each refresh, so rows of finished deliveries would pile up.
/// </summary>
public sealed class ReminderCleanupTests
{
    private const string TenantId = "cleanup";
    private const string Secret = "hmac-secret-for-cleanup-tests";

    [Fact]
    public async Task FinishedDeliveries_LeaveNoReminderRows()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow,
            silos: 1,
            configure: options => options.MaxRetries = 1);
        await using var succeedingReceiver = await TestReceiver.StartAsync();
        await using var goneReceiver = await TestReceiver.StartAsync();
        await using var failingReceiver = await TestReceiver.StartAsync();
        goneReceiver.StatusCode = 410;
        failingReceiver.StatusCode = 500;
        var tenant = cluster.Tenant(TenantId);
        var toSucceeding = await RegisterAsync(tenant, succeedingReceiver);
        var toGone = await RegisterAsync(tenant, goneReceiver);
        var toFailing = await RegisterAsync(tenant, failingReceiver);

        var published = await cluster.PublishAsync(TenantId, new GovernanceEvent(EventTypes.BudgetExceeded));
        var deliveryByWebhook = new Dictionary<string, string>();
        foreach (var deliveryId in published.DeliveryIds)
        {
            var info = await cluster.Delivery(deliveryId).GetAsync(TenantId);
            deliveryByWebhook[info.WebhookId!] = deliveryId;
        }

        var succeeded = await cluster.WaitForAsync(
            TenantId,
            deliveryByWebhook[toSucceeding.Id],
            d => d.Status != DeliveryStatus.Pending);
        var goneFailed = await cluster.WaitForAsync(
            TenantId,
            deliveryByWebhook[toGone.Id],
            d => d.Status != DeliveryStatus.Pending);
        var retrying = await cluster.WaitForStoredRetryAsync(TenantId, deliveryByWebhook[toFailing.Id], attempts: 1);
        var retryingGrainId = cluster.Delivery(retrying.Id).GetGrainId().ToString();
        var rowsWhileRetrying = await WaitForRowsAsync(database, cluster.ServiceId, [retryingGrainId]);
        await cluster.AdvanceUntilAsync(
            () => failingReceiver.Requests.Count >= 2,
            InProcessPostgresCluster.LatestReminderTick(retrying.NextAttemptAt!.Value),
            "the second and last attempt of the failing delivery");
        var exhausted = await cluster.WaitForAsync(TenantId, retrying.Id, d => d.Status != DeliveryStatus.Pending);
        var leftOver = await ReminderRows.WaitUntilNoneAsync(database, cluster.ServiceId);

        Assert.Equal(3, published.DeliveryIds.Count);
        Assert.Equal(DeliveryStatus.Succeeded, succeeded.Status);
        Assert.Equal(DeliveryStatus.Failed, goneFailed.Status);
        Assert.Equal(410, Assert.Single(goneFailed.Attempts).StatusCode);
        Assert.Equal([retryingGrainId], rowsWhileRetrying);
        Assert.Equal(DeliveryStatus.Failed, exhausted.Status);
        Assert.Equal([500, 500], exhausted.Attempts.Select(attempt => attempt.StatusCode));
        Assert.Empty(leftOver);
    }

    private static Task<Webhook> RegisterAsync(ITenantGrain tenant, TestReceiver receiver) =>
        tenant.RegisterWebhookAsync(new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));

    // The two finished deliveries delete their rows a moment after their status changes, so poll until only the
    // expected rows are left.
    private static async Task<List<string>> WaitForRowsAsync(
        TestDatabase database,
        string serviceId,
        List<string> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var grainIds = await ReminderRows.ReadGrainIdsAsync(database, serviceId);
            if (grainIds.SequenceEqual(expected, StringComparer.Ordinal) || DateTime.UtcNow > deadline)
            {
                return grainIds;
            }

            await Task.Delay(50);
        }
    }
}
