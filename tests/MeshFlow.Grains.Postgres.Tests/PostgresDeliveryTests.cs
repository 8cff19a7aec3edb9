using System.Text.Json;
using MeshFlow.Grains.Postgres.Tests.Infrastructure;

namespace MeshFlow.Grains.Postgres.Tests;

public sealed class PostgresDeliveryTests
{
    private const string Secret = "hmac-secret-for-postgres-tests";

    [Fact]
    public async Task Publish_MatchingWebhook_DeliversSignedPost()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await using var cluster = await PostgresCluster.StartAsync(database.ConnectionString);
        await using var receiver = await TestReceiver.StartAsync();
        var tenant = cluster.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant("acme"));
        var webhook = await tenant.RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.PolicyViolation]));
        var governanceEvent = new GovernanceEvent(
            EventTypes.PolicyViolation,
            EventId: GrainKeys.NewEventId(),
            RunId: "run-pg-1",
            Reason: "Budget exceeded");

        var result = await cluster.Client.GetGrain<IEventGrain>(GrainKeys.Event("acme", governanceEvent.EventId!))
            .PublishAsync(governanceEvent);
        var request = await receiver.NextAsync();

        var deliveryId = Assert.Single(result.DeliveryIds);
        Assert.Equal("POST", request.Method);
        Assert.True(WebhookSignature.Verify(request.Body, request.Header(WebhookSignature.HeaderName), Secret));
        Assert.Equal(deliveryId, request.Header("X-MeshFlow-Delivery"));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("acme", json.RootElement.GetProperty("tenant_id").GetString());
        var info = await WaitForSucceededAsync(cluster, deliveryId);
        Assert.Equal(webhook.Id, info.WebhookId);
        Assert.Equal(1L, await CountStateRowsAsync(database, StorageNames.TenantState, GrainKeys.Tenant("acme")));
        Assert.Equal(1L, await CountStateRowsAsync(database, StorageNames.DeliveryState, GrainKeys.Delivery(deliveryId)));
        Assert.Equal(
            1L,
            await database.ScalarAsync<long>(
                $"SELECT count(*) FROM meshflow_membership WHERE deployment_id = '{cluster.ClusterId}' AND status = 3"));
    }

    [Fact]
    public async Task Webhooks_AfterClusterRestart_AreReadFromPostgres()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        var serviceId = "restart-" + Guid.NewGuid().ToString("N");
        Webhook registered;
        await using (var first = await PostgresCluster.StartAsync(database.ConnectionString, serviceId))
        {
            registered = await first.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant("durable"))
                .RegisterWebhookAsync(new WebhookRegistration("http://127.0.0.1:9/hooks", Secret, [EventTypes.Wildcard]));
        }

        await using var second = await PostgresCluster.StartAsync(database.ConnectionString, serviceId);
        var listed = await second.Client.GetGrain<ITenantGrain>(GrainKeys.Tenant("durable")).ListWebhooksAsync();

        var webhook = Assert.Single(listed);
        Assert.Equal(registered.Id, webhook.Id);
        Assert.Equal(registered.Url, webhook.Url);
    }

    [Fact]
    public async Task SiloStart_EmptyDatabase_FailsWithMigrateCommand()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => PostgresCluster.StartAsync(database.ConnectionString));

        var message = string.Join(" | ", Flatten(error).Select(inner => inner.Message));
        Assert.Contains("meshflow db migrate --connection", message, StringComparison.Ordinal);
        Assert.Contains("schema is missing", message, StringComparison.Ordinal);
    }

    private static async Task<DeliveryInfo> WaitForSucceededAsync(PostgresCluster cluster, string deliveryId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var delivery = cluster.Client.GetGrain<IDeliveryGrain>(GrainKeys.Delivery(deliveryId));
        while (true)
        {
            var info = await delivery.GetAsync("acme");
            if (info.Status == DeliveryStatus.Succeeded)
            {
                return info;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Delivery {deliveryId} is still {info.Status} after 30 s.");
            }

            await Task.Delay(50);
        }
    }

    private static Task<long> CountStateRowsAsync(TestDatabase database, string stateName, string grainKey) =>
        database.ScalarAsync<long>(
            $"SELECT count(*) FROM meshflow_grain_state WHERE grain_type = '{stateName}' "
            + $"AND grain_id_extension = '{grainKey}' AND payload IS NOT NULL");

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
