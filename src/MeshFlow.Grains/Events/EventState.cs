namespace MeshFlow.Grains.Events;

/// <summary>
/// The stored record of a published event: the deliveries it created.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.state.event")]
public sealed class EventState
{
    [Id(0)]
    public string EventType { get; set; } = "";

    [Id(1)]
    public List<string> DeliveryIds { get; set; } = [];

    [Id(2)]
    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>Gets or sets the <see cref="EventFingerprint"/> of the event as first published.</summary>
    [Id(3)]
    public string Fingerprint { get; set; } = "";
}
