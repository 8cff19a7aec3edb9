using MeshFlow.Grains.Delivery;
using MeshFlow.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFlow.Grains.Events;

/// <summary>
/// Fans one published event out to its deliveries and remembers them for the retention period, so publishing the
/// same event id again returns the same deliveries and sends nothing new.
/// </summary>
/// <remarks>
/// Delivery ids are derived from the tenant, event and webhook ids, so a publish interrupted after some deliveries
/// were accepted reaches the same delivery grains when the caller retries it.
/// </remarks>
[GrainType("event")]
internal sealed partial class EventGrain : Grain, IEventGrain
{
    private readonly IPersistentState<EventState> _state;
    private readonly IOptionsMonitor<DeliveryOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<EventGrain> _logger;

    public EventGrain(
        [PersistentState(StorageNames.EventState, StorageNames.Store)] IPersistentState<EventState> state,
        IOptionsMonitor<DeliveryOptions> options,
        [FromKeyedServices(MeshFlowClock.ServiceKey)] TimeProvider clock,
        ILogger<EventGrain> logger)
    {
        _state = state;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    public async Task<PublishResult> PublishAsync(GovernanceEvent governanceEvent)
    {
        if (governanceEvent is null)
        {
            throw new MeshFlowValidationException("Missing event.");
        }

        var (tenantId, eventId) = ParseKey(this.GetPrimaryKeyString());
        if (!string.Equals(governanceEvent.EventId, eventId, StringComparison.Ordinal))
        {
            throw new MeshFlowValidationException(
                $"Event id '{governanceEvent.EventId}' does not match the grain key's event id '{eventId}'.");
        }

        governanceEvent.Validate();
        var now = _clock.GetUtcNow();
        var fingerprint = EventFingerprint.Compute(governanceEvent);
        if (_state.RecordExists && now - _state.State.PublishedAt < _options.CurrentValue.Retention)
        {
            if (_state.State.Fingerprint.Length > 0 && _state.State.Fingerprint != fingerprint)
            {
                throw new MeshFlowValidationException(
                    $"Event id '{eventId}' was already published with different content (as {_state.State.EventType}): "
                    + "publish a new event under a new event id, or repeat the original event exactly.");
            }

            LogDuplicate(_logger, tenantId, eventId);
            return new PublishResult(eventId, [.. _state.State.DeliveryIds]);
        }

        var body = EventPayload.Serialize(tenantId, governanceEvent, governanceEvent.Timestamp ?? now);
        var routing = GrainFactory.GetGrain<IWebhookRoutingGrain>(GrainKeys.Tenant(tenantId));
        var targets = await routing.GetTargetsAsync(governanceEvent.EventType);

        var deliveryIds = targets
            .Select(target => GrainKeys.DeliveryIdFor(tenantId, eventId, target.WebhookId))
            .ToList();
        var accepts = targets.Select((target, index) => GrainFactory
            .GetGrain<IDeliveryGrain>(GrainKeys.Delivery(deliveryIds[index]))
            .AcceptAsync(new DeliveryRequest(
                tenantId,
                target.WebhookId,
                target.Url,
                target.Secret,
                governanceEvent.EventType,
                eventId,
                body)));
        await Task.WhenAll(accepts);

        _state.State = new EventState
        {
            EventType = governanceEvent.EventType,
            DeliveryIds = deliveryIds,
            PublishedAt = now,
            Fingerprint = fingerprint,
        };
        await _state.WriteStateAsync();
        LogPublished(_logger, tenantId, eventId, governanceEvent.EventType, deliveryIds.Count);

        // The record is read again only when the same event id is published twice, which is rare.
        DeactivateOnIdle();
        return new PublishResult(eventId, deliveryIds);
    }

    private static (string TenantId, string EventId) ParseKey(string key)
    {
        // Key layout: event/{tenantId}/{eventId}; neither id may contain '/'.
        var parts = key.Split('/');
        return (parts[1], parts[2]);
    }

    [LoggerMessage(EventId = 1101, EventName = "EventPublished", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: event {EventId} ({EventType}) accepted for {DeliveryCount} deliveries")]
    private static partial void LogPublished(
        ILogger logger,
        string tenantId,
        string eventId,
        string eventType,
        int deliveryCount);

    [LoggerMessage(EventId = 1102, EventName = "EventDuplicate", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: event {EventId} was already published; returning its deliveries")]
    private static partial void LogDuplicate(ILogger logger, string tenantId, string eventId);
}
