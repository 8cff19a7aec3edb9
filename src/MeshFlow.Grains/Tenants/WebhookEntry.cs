namespace MeshFlow.Grains.Tenants;

/// <summary>
/// A stored webhook, secret included.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.state.webhook-entry")]
public sealed class WebhookEntry
{
    [Id(0)]
    public string Id { get; set; } = "";

    [Id(1)]
    public string Url { get; set; } = "";

    [Id(2)]
    public string Secret { get; set; } = "";

    [Id(3)]
    public List<string> Events { get; set; } = [];

    [Id(4)]
    public string? Description { get; set; }

    [Id(5)]
    public bool Enabled { get; set; } = true;

    [Id(6)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(7)]
    public string? DisabledReason { get; set; }

    /// <summary>Returns whether this webhook takes events of <paramref name="eventType"/>.</summary>
    public bool Matches(string eventType) =>
        Events.Contains(EventTypes.Wildcard, StringComparer.Ordinal) || Events.Contains(eventType, StringComparer.Ordinal);

    /// <summary>Returns the public view, without the secret.</summary>
    public Webhook ToWebhook(string tenantId) =>
        new(Id, tenantId, Url, [.. Events], Description, Enabled, CreatedAt, DisabledReason);

    /// <summary>Returns a copy that can be changed without touching this instance.</summary>
    public WebhookEntry Clone() => new()
    {
        Id = Id,
        Url = Url,
        Secret = Secret,
        Events = [.. Events],
        Description = Description,
        Enabled = Enabled,
        CreatedAt = CreatedAt,
        DisabledReason = DisabledReason,
    };
}
