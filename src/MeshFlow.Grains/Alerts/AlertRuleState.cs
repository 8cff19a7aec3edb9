namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The stored state of one alert rule grain: the rule and its secret, the alert state, and the notifications not yet
/// handed to delivery. After the rule is removed, the record keeps the episode count, so alert ids stay unique when a
/// rule of the same name is added again.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.state.alert-rule")]
public sealed class AlertRuleState
{
    /// <summary>The rule, or <see langword="null"/> when none is defined.</summary>
    [Id(0)]
    public AlertRule? Rule { get; set; }

    /// <summary>The signing secret of the rule's notifications.</summary>
    [Id(1)]
    public string? Secret { get; set; }

    /// <summary>The lifecycle state of the rule's alert.</summary>
    [Id(2)]
    public AlertState Alert { get; set; } = new();

    /// <summary>Notifications decided but not yet handed to delivery, oldest first.</summary>
    [Id(3)]
    public List<AlertOutboxEntry> Outbox { get; set; } = [];

    /// <summary>
    /// The deliveries of the firing and repeat notifications of the newest episode handed to delivery, except those
    /// seen to have finished. That episode's resolved notification waits until all of them have finished.
    /// </summary>
    [Id(4)]
    public List<string> UnfinishedDeliveryIds { get; set; } = [];

    /// <summary>Whether a firing or repeat notification of the newest episode handed to delivery was delivered.</summary>
    [Id(5)]
    public bool EpisodeDelivered { get; set; }

    /// <summary>Returns a copy that can be changed without touching this instance.</summary>
    public AlertRuleState Clone() => new()
    {
        Rule = Rule,
        Secret = Secret,
        Alert = Alert with { },
        Outbox = [.. Outbox],
        UnfinishedDeliveryIds = [.. UnfinishedDeliveryIds],
        EpisodeDelivered = EpisodeDelivered,
    };
}
