using System.Globalization;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Moves one rule's <see cref="AlertState"/> through Inactive, Pending, Firing and Resolved, and returns the
/// notifications to send. It is pure: the caller supplies the aggregate, the window coverage and the time.
/// </summary>
/// <remarks>
/// <para>
/// An empty window (a <see langword="null"/> aggregate) counts as "condition false" for <see cref="AlertComparison.Gt"/>
/// and <see cref="AlertComparison.Gte"/>, because no samples means nothing exceeded the threshold. For
/// <see cref="AlertComparison.Lt"/> and <see cref="AlertComparison.Lte"/> it is unknown and leaves the state unchanged,
/// because a missing metric is not proof of a low value, and a resolved alert followed by a new one would flap on gaps.
/// </para>
/// <para>
/// Until a full window has been observed (after a restart, for example), <c>lt</c> and <c>lte</c> rules do not start
/// an episode, because a partly filled window reads low. For the same reason no firing alert resolves until a full
/// window has been observed.
/// </para>
/// </remarks>
public sealed class AlertStateMachine
{
    private readonly AlertRule rule;

    /// <summary>Creates a state machine for a rule that has passed <see cref="AlertRule.Validate"/>.</summary>
    public AlertStateMachine(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        this.rule = rule;
    }

    /// <summary>
    /// Builds the alert id of an episode: the rule name and the episode number, separated by ':', which rule names
    /// cannot contain.
    /// </summary>
    public static string GetAlertId(string ruleName, long episodeNumber)
    {
        return ruleName + ":" + episodeNumber.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Updates <paramref name="state"/> for one evaluation and returns the notifications to send, in order.
    /// </summary>
    /// <param name="state">The rule's state, changed in place.</param>
    /// <param name="value">The window aggregate, or <see langword="null"/> when the window is empty.</param>
    /// <param name="hasFullWindow">Whether the window has observed one full window length, from <see cref="WindowCoverage.HasFullWindow"/>.</param>
    /// <param name="now">The evaluation time.</param>
    public IReadOnlyList<AlertNotification> Evaluate(AlertState state, double? value, bool hasFullWindow, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        var condition = GetCondition(value, hasFullWindow);
        var notifications = new List<AlertNotification>();

        if (state.Status == AlertStatus.Resolved)
        {
            state.Status = AlertStatus.Inactive;
        }

        switch (state.Status)
        {
            case AlertStatus.Inactive:
                if (condition == true)
                {
                    StartEpisode(state, now);
                    TryFire(state, value, now, notifications);
                }

                break;

            case AlertStatus.Pending:
                if (condition == true)
                {
                    TryFire(state, value, now, notifications);
                }
                else if (condition == false)
                {
                    // The condition did not hold for the pending duration, so the episode ends without a notification.
                    state.Status = AlertStatus.Inactive;
                    state.PendingSince = null;
                }

                break;

            case AlertStatus.Firing:
                if (condition == false && hasFullWindow)
                {
                    Resolve(state, value, now, notifications);
                }
                else
                {
                    TryRepeat(state, value, now, notifications);
                }

                break;

            default:
                throw new InvalidOperationException($"Unknown alert status '{state.Status}' for rule '{rule.Name}'.");
        }

        return notifications;
    }

    /// <summary>
    /// Records that <paramref name="notification"/> was handed to delivery, so that the episode may later send a
    /// resolved notification. Notifications of older episodes are ignored.
    /// </summary>
    public static void RecordSent(AlertState state, AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(notification);

        if (notification.EpisodeNumber == state.EpisodeNumber
            && notification.Kind is AlertNotificationKind.Firing or AlertNotificationKind.Repeat)
        {
            state.FiringNotificationSent = true;
        }
    }

    /// <summary>
    /// Ends the current episode because the rule is being removed or replaced. A firing alert resolves, and the
    /// resolved notification is returned when the episode's firing notification was recorded as sent; a pending
    /// episode ends silently.
    /// </summary>
    /// <param name="state">The rule's state, changed in place.</param>
    /// <param name="value">The window aggregate at that moment, or <see langword="null"/>.</param>
    /// <param name="now">The time the rule changes.</param>
    public AlertNotification? EndEpisode(AlertState state, double? value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        if (state.Status != AlertStatus.Firing)
        {
            state.Status = AlertStatus.Inactive;
            state.PendingSince = null;
            return null;
        }

        var notifications = new List<AlertNotification>(1);
        Resolve(state, value, now, notifications);
        return notifications.Count == 0 ? null : notifications[0];
    }

    /// <summary>Returns true or false for a known condition, or null when the evaluation cannot decide it.</summary>
    private bool? GetCondition(double? value, bool hasFullWindow)
    {
        var isLowerBound = rule.Comparison is AlertComparison.Lt or AlertComparison.Lte;
        if (value is not { } aggregate)
        {
            return isLowerBound ? null : false;
        }

        var isMet = rule.Comparison.IsMet(aggregate, rule.Threshold);
        if (isMet && isLowerBound && !hasFullWindow)
        {
            return null;
        }

        return isMet;
    }

    private static void StartEpisode(AlertState state, DateTimeOffset now)
    {
        state.EpisodeNumber++;
        state.Status = AlertStatus.Pending;
        state.PendingSince = now;
        state.FiringSince = null;
        state.LastNotifiedAt = null;
        state.FiringNotificationSent = false;
        state.ResolvedAt = null;
    }

    private void TryFire(AlertState state, double? value, DateTimeOffset now, List<AlertNotification> notifications)
    {
        var pendingSince = state.PendingSince ?? now;
        if (now - pendingSince < TimeSpan.FromSeconds(rule.ForSeconds))
        {
            return;
        }

        state.Status = AlertStatus.Firing;
        state.FiringSince = now;
        state.LastNotifiedAt = now;
        notifications.Add(CreateNotification(AlertNotificationKind.Firing, state, value, endsAt: null));
    }

    private void TryRepeat(AlertState state, double? value, DateTimeOffset now, List<AlertNotification> notifications)
    {
        // Without a repeat interval, a firing notification never recorded as sent is not sent again. The rule grain
        // records each notification in the same write that queues it for delivery, so it never leaves one unrecorded.
        if (rule.RepeatSeconds is not { } repeatSeconds)
        {
            return;
        }

        var lastNotifiedAt = state.LastNotifiedAt ?? state.FiringSince ?? now;
        if (now - lastNotifiedAt < TimeSpan.FromSeconds(repeatSeconds))
        {
            return;
        }

        // A firing notification that was never recorded as sent is sent again as Firing, so the receiver sees the start.
        var kind = state.FiringNotificationSent ? AlertNotificationKind.Repeat : AlertNotificationKind.Firing;
        state.LastNotifiedAt = now;
        notifications.Add(CreateNotification(kind, state, value, endsAt: null));
    }

    private void Resolve(AlertState state, double? value, DateTimeOffset now, List<AlertNotification> notifications)
    {
        state.Status = AlertStatus.Resolved;
        state.ResolvedAt = now;
        state.PendingSince = null;
        if (state.FiringNotificationSent)
        {
            notifications.Add(CreateNotification(AlertNotificationKind.Resolved, state, value, endsAt: now));
        }
    }

    private AlertNotification CreateNotification(AlertNotificationKind kind, AlertState state, double? value, DateTimeOffset? endsAt)
    {
        var startsAt = state.FiringSince ?? throw new InvalidOperationException($"Alert rule '{rule.Name}' has no firing start time.");
        return new AlertNotification(
            kind,
            GetAlertId(rule.Name, state.EpisodeNumber),
            rule.Name,
            state.EpisodeNumber,
            value,
            startsAt.ToUniversalTime(),
            endsAt?.ToUniversalTime());
    }
}
