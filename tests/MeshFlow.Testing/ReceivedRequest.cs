namespace MeshFlow.Testing;

/// <summary>A request captured by <see cref="TestReceiver"/>.</summary>
/// <param name="Method">The HTTP method, such as <c>POST</c>.</param>
/// <param name="Path">The request path, such as <c>/hooks</c>.</param>
/// <param name="Headers">Every request header by name, compared case-insensitively.</param>
/// <param name="Body">The raw request body.</param>
/// <param name="AnsweredStatus">The HTTP status code the receiver sent back.</param>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    int AnsweredStatus)
{
    /// <summary>Returns the value of the header <paramref name="name"/>, or null when the request has none.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
