namespace MeshFlow.Grains;

/// <summary>
/// A governance event to deliver to every matching webhook of a tenant.
/// </summary>
/// <param name="EventType">One of <see cref="EventTypes.All"/>.</param>
/// <param name="EventId">
/// The caller's id for the event; publishing the same id again returns the same deliveries and sends nothing new.
/// Null lets the client generate one.
/// </param>
/// <param name="RunId">The workflow run, or null.</param>
/// <param name="NodeId">The workflow step, or null.</param>
/// <param name="Reason">Why the event happened, or null.</param>
/// <param name="RuleName">The rule that raised it, or null.</param>
/// <param name="Timestamp">When it happened; null means the time the service accepts it.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.governance-event")]
public sealed record GovernanceEvent(
    [property: Id(0)] string EventType,
    [property: Id(1)] string? EventId = null,
    [property: Id(2)] string? RunId = null,
    [property: Id(3)] string? NodeId = null,
    [property: Id(4)] string? Reason = null,
    [property: Id(5)] string? RuleName = null,
    [property: Id(6)] DateTimeOffset? Timestamp = null)
{
    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> when a field is invalid. <see cref="EventId"/> must be set.
    /// </summary>
    public void Validate()
    {
        if (!EventTypes.IsKnown(EventType))
        {
            throw new MeshFlowValidationException(EventTypes.DescribeUnknownPublished(EventType));
        }

        Validation.EventId(EventId);
        Validation.OptionalText(RunId, "run id", Validation.MaxFieldLength);
        Validation.OptionalText(NodeId, "node id", Validation.MaxFieldLength);
        Validation.OptionalText(Reason, "reason", Validation.MaxFieldLength);
        Validation.OptionalText(RuleName, "rule name", Validation.MaxFieldLength);
    }
}
