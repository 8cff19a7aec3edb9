namespace MeshFlow.Grains.Alerts;

/// <summary>
/// A notification that <see cref="AlertStateMachine"/> returns for the caller to send.
/// </summary>
/// <param name="Kind">Why the notification is sent.</param>
/// <param name="AlertId">The episode id, the same for every notification of one episode, so receivers can de-duplicate on it.</param>
/// <param name="RuleName">The name of the rule.</param>
/// <param name="EpisodeNumber">The 1-based episode number of the rule.</param>
/// <param name="Value">The aggregate at evaluation time, or <see langword="null"/> when the window was empty.</param>
/// <param name="StartsAt">When the alert started firing (UTC).</param>
/// <param name="EndsAt">When the alert stopped firing (UTC), or <see langword="null"/> while it is firing.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.alert-notification")]
public sealed record AlertNotification(
    [property: Id(0)] AlertNotificationKind Kind,
    [property: Id(1)] string AlertId,
    [property: Id(2)] string RuleName,
    [property: Id(3)] long EpisodeNumber,
    [property: Id(4)] double? Value,
    [property: Id(5)] DateTimeOffset StartsAt,
    [property: Id(6)] DateTimeOffset? EndsAt);
