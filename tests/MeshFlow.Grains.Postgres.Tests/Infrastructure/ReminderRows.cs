using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>Reads the reminder table directly, bypassing Orleans, to check what a cluster left behind.</summary>
public static class ReminderRows
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Returns the grain ids that have a reminder row under <paramref name="serviceId"/>.</summary>
    public static async Task<List<string>> ReadGrainIdsAsync(TestDatabase database, string serviceId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT grain_id FROM meshflow_reminder WHERE service_id = $1 ORDER BY grain_id",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        await using var reader = await command.ExecuteReaderAsync();
        var grainIds = new List<string>();
        while (await reader.ReadAsync())
        {
            grainIds.Add(reader.GetString(0));
        }

        return grainIds;
    }

    /// <summary>Returns when the grain's reminder is due, or null when it has no row under that name.</summary>
    public static async Task<DateTimeOffset?> ReadStartTimeAsync(
        TestDatabase database,
        string serviceId,
        GrainId grainId,
        string reminderName)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT start_time FROM meshflow_reminder WHERE service_id = $1 AND grain_id = $2 AND reminder_name = $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.ToString() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reminderName });
        var value = await command.ExecuteScalarAsync();
        return value is DateTime startTime ? new DateTimeOffset(startTime, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Polls until no reminder row of <paramref name="serviceId"/> is left, and returns the rows still there when
    /// the bounded real-time wait ends (an empty list on success).
    /// </summary>
    /// <remarks>
    /// A delivery's status reads as finished a moment before the grain unregisters its reminder, so a check right
    /// after the status changes would race with the delete.
    /// </remarks>
    public static async Task<List<string>> WaitUntilNoneAsync(TestDatabase database, string serviceId)
    {
        var deadline = DateTime.UtcNow + WaitTimeout;
        while (true)
        {
            var grainIds = await ReadGrainIdsAsync(database, serviceId);
            if (grainIds.Count == 0 || DateTime.UtcNow > deadline)
            {
                return grainIds;
            }

            await Task.Delay(50);
        }
    }
}
