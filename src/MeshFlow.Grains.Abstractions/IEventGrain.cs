namespace MeshFlow.Grains;

/// <summary>
/// One published event and the deliveries it created. Key: <see cref="GrainKeys.Event"/>.
/// </summary>
[Alias("meshflow.IEventGrain")]
public interface IEventGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates one durable delivery per enabled webhook subscribed to the event type and returns their ids.
    /// Publishing the same event id again returns the same ids and sends nothing new.
    /// </summary>
    [Alias("publish")]
    Task<PublishResult> PublishAsync(GovernanceEvent governanceEvent);
}
