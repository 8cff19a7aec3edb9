using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace MeshFlow.Grains.Hosting;

/// <summary>
/// Stores grain state as plain System.Text.Json documents. No type or assembly names are written, so renaming or
/// moving a state class keeps its stored rows readable, and operators can read the rows directly.
/// </summary>
public sealed class StateJsonSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)
        ?? throw new JsonException($"Stored state of type {typeof(T).Name} is the JSON null literal.");
}
