namespace MeshFlow.Grains.Alerts;

/// <summary>
/// A notification stored with the alert state that decided it, until its delivery is accepted. Its delivery id is
/// fixed when it is stored, so handing it to delivery again after a crash reaches the same delivery.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.state.alert-outbox-entry")]
public sealed class AlertOutboxEntry
{
    /// <summary>The delivery id the notification is sent under.</summary>
    [Id(0)]
    public string DeliveryId { get; set; } = "";

    /// <summary>The id of the delivery's event: the alert id and the kind of notification.</summary>
    [Id(1)]
    public string EventId { get; set; } = "";

    /// <summary>The notification's event type.</summary>
    [Id(2)]
    public string EventType { get; set; } = "";

    /// <summary>The receiving URL.</summary>
    [Id(3)]
    public string Url { get; set; } = "";

    /// <summary>The signing secret; dropped with the entry once the delivery is accepted.</summary>
    [Id(4)]
    public string Secret { get; set; } = "";

    /// <summary>The exact JSON body.</summary>
    [Id(5)]
    public byte[] Body { get; set; } = [];

    /// <summary>
    /// For a resolved notification, the delivery of the episode's firing notification, which marks the entry as
    /// resolved. The resolved notification is handed over once that delivery and those of the episode's repeats have
    /// finished and at least one succeeded. It is dropped if all failed for good.
    /// </summary>
    [Id(6)]
    public string? AfterDeliveryId { get; set; }

    /// <summary>
    /// Why the notification is sent. Entries stored before this property existed read as
    /// <see cref="AlertNotificationKind.Firing"/>, and their resolved notifications are identified by
    /// <see cref="AfterDeliveryId"/>.
    /// </summary>
    [Id(7)]
    public AlertNotificationKind Kind { get; set; }
}
