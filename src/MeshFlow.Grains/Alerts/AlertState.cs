namespace MeshFlow.Grains.Alerts;

/// <summary>
/// The stored state of one alert rule, kept between evaluations and across restarts so that a restart neither
/// re-sends nor loses notifications.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.state.alert")]
public sealed record AlertState
{
    /// <summary>The current lifecycle state.</summary>
    [Id(0)]
    public AlertStatus Status { get; set; }

    /// <summary>The number of the current or last episode, 0 before the first one. An episode starts when the condition first turns true.</summary>
    [Id(1)]
    public long EpisodeNumber { get; set; }

    /// <summary>When the condition of the current episode turned true, or <see langword="null"/> when inactive.</summary>
    [Id(2)]
    public DateTimeOffset? PendingSince { get; set; }

    /// <summary>When the current episode started firing, or <see langword="null"/> if it has not fired.</summary>
    [Id(3)]
    public DateTimeOffset? FiringSince { get; set; }

    /// <summary>When the last firing or repeat notification was issued, used to space repeats.</summary>
    [Id(4)]
    public DateTimeOffset? LastNotifiedAt { get; set; }

    /// <summary>Whether the caller recorded the current episode's firing notification as sent.</summary>
    [Id(5)]
    public bool FiringNotificationSent { get; set; }

    /// <summary>When the current episode stopped firing, or <see langword="null"/> while it has not.</summary>
    [Id(6)]
    public DateTimeOffset? ResolvedAt { get; set; }
}
