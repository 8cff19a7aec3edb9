using MeshFlow.Grains;

namespace MeshFlow.Client;

/// <summary>
/// Publishes governance events to every enabled webhook of a tenant that subscribes to the event type.
/// </summary>
/// <remarks>
/// Each matching webhook gets one durable delivery, signed with its own secret, and receivers check it with
/// <see cref="WebhookSignature.Verify"/>. A cancellation token stops waiting for the grain's response, but it does
/// not cancel the publish.
/// </remarks>
public sealed class EventPublisher
{
    private readonly IGrainFactory grainFactory;

    public EventPublisher(IGrainFactory grainFactory)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        this.grainFactory = grainFactory;
    }

    /// <summary>
    /// Validates and publishes <paramref name="governanceEvent"/>, generating an event id with
    /// <see cref="GrainKeys.NewEventId"/> when it has none, and returns the event id with one delivery id per
    /// matching webhook. Publishing an event id again returns the same delivery ids and sends nothing new, so a
    /// caller that retries after a failure should reuse the id.
    /// </summary>
    public async Task<PublishResult> PublishAsync(
        string tenantId,
        GovernanceEvent governanceEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(governanceEvent);

        Validation.TenantId(tenantId);
        var identified = governanceEvent.EventId is null
            ? governanceEvent with { EventId = GrainKeys.NewEventId() }
            : governanceEvent;
        identified.Validate();

        var eventGrain = grainFactory.GetGrain<IEventGrain>(GrainKeys.Event(tenantId, identified.EventId!));
        return await eventGrain.PublishAsync(identified).WaitAsync(cancellationToken);
    }
}
