using System.Text.Json;
using MeshFlow.Grains.Postgres.Tests.Infrastructure;
using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Makes PostgreSQL reject the write that records a delivery as finished, then lets writes through again, and checks
/// that the delivery still ends finished in storage instead of staying pending without a reminder.
/// </summary>
public sealed class StateWriteFailureTests
{
    private const string TenantId = "write-failure";
    private const string Secret = "hmac-secret-for-write-failure-tests";

    // Real time allowed for the grain to try the write that the trigger rejects.
    private static readonly TimeSpan RejectionTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Delivery_FinalStateWriteFails_StillFinishes()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow,
            silos: 1);
        await using var receiver = await TestReceiver.StartAsync();
        receiver.StatusCode = 500;
        await cluster.Tenant(TenantId).RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));
        var published = await cluster.PublishAsync(TenantId, new GovernanceEvent(EventTypes.CollusionAlert));
        var deliveryId = Assert.Single(published.DeliveryIds);
        await receiver.NextAsync();
        var inBackoff = await cluster.WaitForStoredRetryAsync(TenantId, deliveryId, attempts: 1);

        await RejectFinishedStateAsync(database, deliveryId);
        receiver.StatusCode = 200;
        await cluster.AdvanceUntilAsync(
            () => receiver.Requests.Count >= 2,
            InProcessPostgresCluster.LatestReminderTick(inBackoff.NextAttemptAt!.Value),
            "the second attempt of the delivery");
        await WaitForRejectedWriteAsync(database);
        var storedAfterRejectedWrite = await ReadStoredStatusAsync(database, cluster.ServiceId, deliveryId);
        await AcceptAllStateAsync(database);

        // Three reminder periods give the grain several wake-ups to store the outcome it could not store before.
        await cluster.AdvanceAsync(3 * InProcessPostgresCluster.ReminderPeriod);
        await cluster.Cluster.DeactivateAsync(cluster.Delivery(deliveryId));
        var storedAtEnd = await ReadStoredStatusAsync(database, cluster.ServiceId, deliveryId);
        var reminderRows = await ReminderRows.ReadGrainIdsAsync(database, cluster.ServiceId);
        var reread = await cluster.Delivery(deliveryId).GetAsync(TenantId);

        Assert.Equal("pending", storedAfterRejectedWrite);
        Assert.True(
            storedAtEnd != "pending" || reminderRows.Count > 0,
            "The stored delivery is still pending but has no reminder row, so nothing will ever wake it up.");
        Assert.Equal("succeeded", storedAtEnd);
        Assert.Equal(DeliveryStatus.Succeeded, reread.Status);
        Assert.Empty(reminderRows);
    }

    // A trigger rejects every write of this delivery's state that is no longer pending. It counts rejections in a
    // sequence because nextval survives the rollback of the rejected write.
    private static Task RejectFinishedStateAsync(TestDatabase database, string deliveryId) =>
        ExecuteAsync(
            database,
            "CREATE SEQUENCE test_rejected_writes",
            $$"""
            CREATE FUNCTION test_reject_finished_state() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF NEW.grain_id_extension = '{{GrainKeys.Delivery(deliveryId)}}'
                   AND position('"status":"pending"' in convert_from(NEW.payload, 'UTF8')) = 0 THEN
                    PERFORM nextval('test_rejected_writes');
                    RAISE EXCEPTION 'test rejects the finished state of %', NEW.grain_id_extension;
                END IF;
                RETURN NEW;
            END
            $body$
            """,
            "CREATE TRIGGER test_reject_finished_state BEFORE UPDATE ON meshflow_grain_state "
            + "FOR EACH ROW EXECUTE FUNCTION test_reject_finished_state()");

    private static Task AcceptAllStateAsync(TestDatabase database) =>
        ExecuteAsync(database, "DROP TRIGGER test_reject_finished_state ON meshflow_grain_state");

    private static async Task WaitForRejectedWriteAsync(TestDatabase database)
    {
        var deadline = DateTime.UtcNow + RejectionTimeout;
        while (!await database.ScalarAsync<bool>("SELECT is_called FROM test_rejected_writes"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    "The delivery grain did not try to store its finished state within "
                    + $"{RejectionTimeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }
    }

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

    // Reads the "status" field of the stored JSON state, bypassing the grain's in-memory copy.
    private static async Task<string?> ReadStoredStatusAsync(TestDatabase database, string serviceId, string deliveryId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT payload FROM meshflow_grain_state "
            + "WHERE service_id = $1 AND grain_type = $2 AND grain_id_extension = $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StorageNames.DeliveryState });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = GrainKeys.Delivery(deliveryId) });
        if (await command.ExecuteScalarAsync() is not byte[] payload)
        {
            return null;
        }

        using var json = JsonDocument.Parse(payload);
        return json.RootElement.GetProperty("status").GetString();
    }
}
