namespace MeshFlow.Testing;

/// <summary>One scripted response of <see cref="TestReceiver"/>.</summary>
/// <param name="Status">The HTTP status code to send.</param>
/// <param name="Headers">Response headers to send, if any.</param>
/// <param name="Delay">How long to wait before responding, to simulate a receiver that hangs.</param>
public sealed record ReceiverResponse(
    int Status,
    IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan? Delay = null)
{
    public static ReceiverResponse Ok { get; } = new(200);

    public static ReceiverResponse WithStatus(int status) => new(status);

    public static ReceiverResponse WithHeader(int status, string name, string value) =>
        new(status, new Dictionary<string, string> { [name] = value });

    public static ReceiverResponse Hang(TimeSpan delay) => new(200, null, delay);
}
