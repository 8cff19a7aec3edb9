using System.Text.Json;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Postgres.Tests.Infrastructure;
using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Leaves a firing notification decided and stored in the rule's outbox but not handed to delivery, kills the silo
/// that hosts the rule, and checks that the survivor hands it over and sends it once, with no client call.
/// </summary>
/// <remarks>
/// A crash between the state write and the hand-off cannot be timed from a test. PostgreSQL rejecting the delivery's
/// first write leaves the same stored state: the alert recorded as firing, the notification in the outbox, and no
/// delivery record.
/// </remarks>
public sealed class AlertOutboxTests
{
    private const string TenantId = "alert-outbox";
    private const string RuleName = "budget-burn";
    private const string Metric = "agent.cost_usd";
    private const string Secret = "hmac-secret-for-alert-outbox-tests";

    // Real time allowed for the rule grain to try the hand-off that the trigger rejects.
    private static readonly TimeSpan RejectionTimeout = TimeSpan.FromSeconds(15);

    // Real time after the last step for a request that was wrongly sent to reach a receiver on this machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Outbox_FailedHandOffThenHostKilled_SentOnce()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow,
            fakeGrainTimers: true);
        await using var receiver = await TestReceiver.StartAsync();
        var rule = new AlertRule(RuleName, Metric, 10, 300, receiver.Url.ToString());
        await cluster.Alerts(TenantId).AddRuleAsync(rule, Secret, replace: false);
        await RejectDeliveryInsertsAsync(database);

        await cluster.Metrics(TenantId).RecordAsync([new MetricSample(Metric, 12.5)]);
        var evaluated = await cluster.Alerts(TenantId).EvaluateAsync(RuleName);
        await WaitForRejectedWriteAsync(database);
        var storedBeforeKill = await ReadStoredRuleAsync(database, cluster);
        var sentBeforeKill = await receiver.AnyWithinAsync(QuietPeriod);
        var host = cluster.FindActivationSilo(cluster.AlertRule(TenantId, RuleName).GetGrainId())
            ?? throw new InvalidOperationException($"No silo hosts an activation of alert rule {RuleName}.");
        await cluster.KillSiloAsync(host);
        await AcceptDeliveryInsertsAsync(database);
        var limit = cluster.Clock.GetUtcNow() + (2 * InProcessPostgresCluster.AlertReminderPeriod);
        await cluster.AdvanceUntilAsync(
            () => receiver.Requests.Count >= 1,
            limit,
            "the firing notification, handed over by the survivor after a keep-alive tick");
        var request = await receiver.NextAsync();
        var deliveryId = request.Header(WebhookHeaders.Delivery)!;
        var delivery = await cluster.WaitForAsync(TenantId, deliveryId, d => d.Status != DeliveryStatus.Pending);
        var storedAtEnd = await WaitForEmptyOutboxAsync(database, cluster);
        var sentLater = await receiver.AnyWithinAsync(QuietPeriod);

        Assert.Equal(AlertStatus.Firing, Assert.Single(evaluated).State);
        Assert.Equal("firing", storedBeforeKill.GetProperty("alert").GetProperty("status").GetString());
        var queued = Assert.Single(storedBeforeKill.GetProperty("outbox").EnumerateArray());
        Assert.Equal(RuleName + ":1:firing", queued.GetProperty("eventId").GetString());
        Assert.False(sentBeforeKill);
        Assert.DoesNotContain(cluster.Cluster.GetActiveSilos(), silo => silo.SiloAddress.Equals(host.SiloAddress));

        var body = AlertNotificationBody.Parse(request);
        Assert.Equal("firing", body.Status);
        Assert.Equal(RuleName + ":1", body.AlertId);
        Assert.Equal(12.5, body.Value);
        Assert.Equal(queued.GetProperty("deliveryId").GetString(), deliveryId);
        Assert.True(WebhookSignature.Verify(request.Body, request.Header(WebhookSignature.HeaderName), Secret));
        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(0, storedAtEnd.GetProperty("outbox").GetArrayLength());
        Assert.Equal("firing", storedAtEnd.GetProperty("alert").GetProperty("status").GetString());
        Assert.False(sentLater);
        Assert.Single(receiver.Requests);
    }

    // A trigger rejects the first write of every delivery's state. It counts rejections in a sequence because
    // nextval survives the rollback of the rejected write.
    private static Task RejectDeliveryInsertsAsync(TestDatabase database) =>
        ExecuteAsync(
            database,
            "CREATE SEQUENCE test_rejected_writes",
            $$"""
            CREATE FUNCTION test_reject_delivery_insert() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF NEW.grain_type = '{{StorageNames.DeliveryState}}' THEN
                    PERFORM nextval('test_rejected_writes');
                    RAISE EXCEPTION 'test rejects the first write of %', NEW.grain_id_extension;
                END IF;
                RETURN NEW;
            END
            $body$
            """,
            "CREATE TRIGGER test_reject_delivery_insert BEFORE INSERT ON meshflow_grain_state "
            + "FOR EACH ROW EXECUTE FUNCTION test_reject_delivery_insert()");

    private static Task AcceptDeliveryInsertsAsync(TestDatabase database) =>
        ExecuteAsync(database, "DROP TRIGGER test_reject_delivery_insert ON meshflow_grain_state");

    private static async Task WaitForRejectedWriteAsync(TestDatabase database)
    {
        var deadline = DateTime.UtcNow + RejectionTimeout;
        while (!await database.ScalarAsync<bool>("SELECT is_called FROM test_rejected_writes"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The alert rule did not try to hand its notification to delivery within {RejectionTimeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }
    }

    // The rule grain removes a handed-over entry in a write after the delivery accepted it, so poll for that write.
    private static async Task<JsonElement> WaitForEmptyOutboxAsync(TestDatabase database, InProcessPostgresCluster cluster)
    {
        var deadline = DateTime.UtcNow + RejectionTimeout;
        while (true)
        {
            var stored = await ReadStoredRuleAsync(database, cluster);
            if (stored.GetProperty("outbox").GetArrayLength() == 0 || DateTime.UtcNow > deadline)
            {
                return stored;
            }

            await Task.Delay(20);
        }
    }

    private static Task<JsonElement> ReadStoredRuleAsync(TestDatabase database, InProcessPostgresCluster cluster) =>
        GrainStateRows.ReadJsonAsync(
            database,
            cluster.ServiceId,
            StorageNames.AlertRuleState,
            GrainKeys.AlertRule(TenantId, RuleName));

    private static async Task ExecuteAsync(TestDatabase database, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
