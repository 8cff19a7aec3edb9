namespace MeshFlow.Grains.Tests.Infrastructure;

/// <summary>A request captured by <see cref="TestReceiver"/>.</summary>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    int AnsweredStatus)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
