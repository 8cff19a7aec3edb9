namespace MeshFlow.Grains.Tests.Infrastructure;

/// <summary>One scripted answer of <see cref="TestReceiver"/>.</summary>
public sealed record ReceiverResponse(int Status, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null)
{
    public static ReceiverResponse Ok { get; } = new(200);

    public static ReceiverResponse WithStatus(int status) => new(status);

    public static ReceiverResponse WithHeader(int status, string name, string value) =>
        new(status, new Dictionary<string, string> { [name] = value });

    public static ReceiverResponse Hang(TimeSpan delay) => new(200, null, delay);
}
