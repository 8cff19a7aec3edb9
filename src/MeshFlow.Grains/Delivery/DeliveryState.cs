namespace MeshFlow.Grains.Delivery;

/// <summary>
/// The stored state of one delivery. Once finished, the body and the secret are dropped and only a compact record
/// stays for the retention period.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.state.delivery")]
public sealed class DeliveryState
{
    [Id(0)]
    public string Id { get; set; } = "";

    [Id(1)]
    public string TenantId { get; set; } = "";

    [Id(2)]
    public string? WebhookId { get; set; }

    [Id(3)]
    public string Url { get; set; } = "";

    [Id(4)]
    public string? Secret { get; set; }

    [Id(5)]
    public string? EventType { get; set; }

    [Id(6)]
    public string? EventId { get; set; }

    [Id(7)]
    public byte[]? Body { get; set; }

    [Id(8)]
    public DeliveryStatus Status { get; set; }

    [Id(9)]
    public List<DeliveryAttempt> Attempts { get; set; } = [];

    [Id(10)]
    public DateTimeOffset? NextAttemptAt { get; set; }

    [Id(11)]
    public DateTimeOffset AcceptedAt { get; set; }

    [Id(12)]
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Returns a copy whose attempt list can be changed without touching this instance.</summary>
    public DeliveryState Clone()
    {
        var copy = (DeliveryState)MemberwiseClone();
        copy.Attempts = [.. Attempts];
        return copy;
    }

    /// <summary>Returns the view given to callers, without the secret and the body.</summary>
    public DeliveryInfo ToInfo() => new(
        Id,
        TenantId,
        WebhookId,
        Url,
        EventType,
        EventId,
        Status,
        [.. Attempts],
        NextAttemptAt,
        AcceptedAt,
        CompletedAt);
}
