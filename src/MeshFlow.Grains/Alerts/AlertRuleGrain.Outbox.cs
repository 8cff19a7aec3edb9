namespace MeshFlow.Grains.Alerts;

internal sealed partial class AlertRuleGrain
{
    /// <summary>
    /// Hands queued notifications to delivery in order. Stops at the first that must wait or cannot be handed over,
    /// so later notifications never overtake earlier ones. The next evaluation or reminder tick continues from there.
    /// </summary>
    /// <remarks>
    /// A resolved notification waits until the deliveries of its episode's firing and repeat notifications have all
    /// finished, so it never reaches the receiver before one of them. It is then handed over if at least one of them
    /// succeeded, and dropped if all failed for good, because the receiver never learned that the alert fired.
    /// </remarks>
    private async Task FlushOutboxAsync(string tenantId)
    {
        if (_state.State.Outbox.Count == 0)
        {
            return;
        }

        var handled = 0;
        var unfinished = new List<string>(_state.State.UnfinishedDeliveryIds);
        var delivered = _state.State.EpisodeDelivered;
        try
        {
            foreach (var entry in _state.State.Outbox)
            {
                if (entry.AfterDeliveryId is { } firingDeliveryId)
                {
                    // The firing delivery is normally in the list already. Outbox entries stored before the list
                    // existed have only this id to wait on, so it is added when missing.
                    if (!unfinished.Contains(firingDeliveryId, StringComparer.Ordinal))
                    {
                        unfinished.Add(firingDeliveryId);
                    }

                    delivered |= await RemoveFinishedAsync(tenantId, unfinished);
                    if (unfinished.Count > 0)
                    {
                        break;
                    }

                    if (delivered)
                    {
                        await AcceptAsync(tenantId, entry);
                    }
                    else
                    {
                        LogResolvedDropped(_logger, tenantId, entry.EventId, firingDeliveryId);
                    }

                    delivered = false;
                    handled++;
                    continue;
                }

                if (entry.Kind == AlertNotificationKind.Repeat)
                {
                    // Removes the finished deliveries, so the list stays as short as the number still running.
                    delivered |= await RemoveFinishedAsync(tenantId, unfinished);
                    await AcceptAsync(tenantId, entry);
                }
                else
                {
                    // A firing notification starts the episode that later entries belong to.
                    await AcceptAsync(tenantId, entry);
                    unfinished.Clear();
                    delivered = false;
                }

                unfinished.Add(entry.DeliveryId);
                handled++;
            }
        }
        catch (Exception ex) when (ex is not MeshFlowValidationException)
        {
            LogFlushFailed(_logger, ex, tenantId, this.GetPrimaryKeyString());
        }

        if (handled > 0)
        {
            var next = _state.State.Clone();
            next.Outbox.RemoveRange(0, handled);
            next.UnfinishedDeliveryIds = unfinished;
            next.EpisodeDelivered = delivered;
            await CommitAsync(next);
        }
    }

    private async Task AcceptAsync(string tenantId, AlertOutboxEntry entry)
    {
        var request = new DeliveryRequest(
            tenantId, null, entry.Url, entry.Secret, entry.EventType, entry.EventId, entry.Body);
        await GrainFactory.GetGrain<IDeliveryGrain>(GrainKeys.Delivery(entry.DeliveryId)).AcceptAsync(request);
    }

    /// <summary>
    /// Removes the deliveries that have finished from <paramref name="deliveryIds"/> and returns whether any of the
    /// removed ones succeeded.
    /// </summary>
    private async Task<bool> RemoveFinishedAsync(string tenantId, List<string> deliveryIds)
    {
        var succeeded = false;
        for (var i = deliveryIds.Count - 1; i >= 0; i--)
        {
            var status = await GetDeliveryStatusAsync(tenantId, deliveryIds[i]);
            if (status != DeliveryStatus.Pending)
            {
                succeeded |= status == DeliveryStatus.Succeeded;
                deliveryIds.RemoveAt(i);
            }
        }

        return succeeded;
    }

    private async Task<DeliveryStatus> GetDeliveryStatusAsync(string tenantId, string deliveryId)
    {
        try
        {
            var info = await GrainFactory.GetGrain<IDeliveryGrain>(GrainKeys.Delivery(deliveryId)).GetAsync(tenantId);
            return info.Status;
        }
        catch (MeshFlowNotFoundException)
        {
            // Past the delivery retention period: the notification finished long ago.
            return DeliveryStatus.Succeeded;
        }
    }
}
