namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The lifecycle state of one alert rule.
/// </summary>
public enum AlertStatus
{
    /// <summary>The condition is false, or no episode has started yet.</summary>
    Inactive = 0,

    /// <summary>The condition is true but has not yet held for the rule's pending duration.</summary>
    Pending,

    /// <summary>The condition has held for the pending duration and the alert is active.</summary>
    Firing,

    /// <summary>The alert stopped firing at the last evaluation. The next evaluation treats it as inactive.</summary>
    Resolved,
}
