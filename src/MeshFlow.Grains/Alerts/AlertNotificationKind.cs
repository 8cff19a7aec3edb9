namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The reason an alert notification is sent.
/// </summary>
public enum AlertNotificationKind
{
    /// <summary>The alert started firing, or, at the repeat interval, it is still firing and no firing notification was recorded as sent.</summary>
    Firing = 0,

    /// <summary>The alert is still firing and the repeat interval has passed since the last notification.</summary>
    Repeat,

    /// <summary>The alert stopped firing. Sent only when the episode's firing notification was recorded as sent.</summary>
    Resolved,
}
