using System.Text.Json;
using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>Reads the grain state table directly, bypassing the grains' in-memory copies.</summary>
public static class GrainStateRows
{
    /// <summary>Returns the stored JSON payload of one grain state, or null when it has no row or a cleared one.</summary>
    public static async Task<byte[]?> ReadPayloadAsync(
        TestDatabase database,
        string serviceId,
        string stateName,
        string grainKey)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT payload FROM meshflow_grain_state "
            + "WHERE service_id = $1 AND grain_type = $2 AND grain_id_extension = $3",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainKey });
        return await command.ExecuteScalarAsync() as byte[];
    }

    /// <summary>Returns the stored JSON state of one grain, failing when it has no row or a cleared one.</summary>
    public static async Task<JsonElement> ReadJsonAsync(
        TestDatabase database,
        string serviceId,
        string stateName,
        string grainKey)
    {
        var payload = await ReadPayloadAsync(database, serviceId, stateName, grainKey)
            ?? throw new InvalidOperationException($"No stored {stateName} state for grain key {grainKey}.");
        using var json = JsonDocument.Parse(payload);
        return json.RootElement.Clone();
    }

    /// <summary>Returns every stored row of <paramref name="serviceId"/> as (state name, grain key, payload).</summary>
    public static async Task<List<(string StateName, string? GrainKey, byte[]? Payload)>> ReadAllAsync(
        TestDatabase database,
        string serviceId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT grain_type, grain_id_extension, payload FROM meshflow_grain_state WHERE service_id = $1 "
            + "ORDER BY grain_type, grain_id_extension",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serviceId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?, byte[]?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2)));
        }

        return rows;
    }
}
