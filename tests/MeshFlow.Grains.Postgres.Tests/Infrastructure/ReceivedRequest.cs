namespace MeshFlow.Grains.Postgres.Tests.Infrastructure;

/// <summary>A request captured by <see cref="TestReceiver"/>.</summary>
public sealed record ReceivedRequest(string Method, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
