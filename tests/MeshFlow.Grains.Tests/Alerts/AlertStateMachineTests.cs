using MeshFlow.Grains.Alerts;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class AlertStateMachineTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds)
    {
        return Start.AddSeconds(seconds);
    }

    private static AlertStateMachine CreateMachine(
        AlertComparison comparison = AlertComparison.Gt,
        int forSeconds = 0,
        int? repeatSeconds = null)
    {
        var rule = new AlertRule(
            "cost-high",
            "agent.cost_usd",
            10.0,
            60,
            "https://example.com/alerts",
            Comparison: comparison,
            ForSeconds: forSeconds,
            RepeatSeconds: repeatSeconds);
        return new AlertStateMachine(rule);
    }

    // Evaluates and records every returned notification as sent, as a caller with working delivery would.
    private static IReadOnlyList<AlertNotification> EvaluateAndSend(
        AlertStateMachine machine,
        AlertState state,
        double? value,
        DateTimeOffset now,
        bool hasFullWindow = true)
    {
        var notifications = machine.Evaluate(state, value, hasFullWindow, now);
        foreach (var notification in notifications)
        {
            AlertStateMachine.RecordSent(state, notification);
        }

        return notifications;
    }

    [Fact]
    public void Evaluate_ConditionStaysTrue_FiresOnce()
    {
        var machine = CreateMachine();
        var state = new AlertState();

        var first = EvaluateAndSend(machine, state, 20.0, At(0));
        var second = EvaluateAndSend(machine, state, 25.0, At(10));
        var third = EvaluateAndSend(machine, state, 30.0, At(20));

        var firing = Assert.Single(first);
        Assert.Equal(AlertNotificationKind.Firing, firing.Kind);
        Assert.Equal(At(0), firing.StartsAt);
        Assert.Null(firing.EndsAt);
        Assert.Empty(second);
        Assert.Empty(third);
        Assert.Equal(AlertStatus.Firing, state.Status);
    }

    [Fact]
    public void Evaluate_ConditionTurnsFalse_ResolvesOnce()
    {
        var machine = CreateMachine();
        var state = new AlertState();
        EvaluateAndSend(machine, state, 20.0, At(0));

        var first = EvaluateAndSend(machine, state, 5.0, At(10));
        var second = EvaluateAndSend(machine, state, 5.0, At(20));

        var resolved = Assert.Single(first);
        Assert.Equal(AlertNotificationKind.Resolved, resolved.Kind);
        Assert.Equal(At(0), resolved.StartsAt);
        Assert.Equal(At(10), resolved.EndsAt);
        Assert.Empty(second);
        Assert.Equal(AlertStatus.Inactive, state.Status);
    }

    [Fact]
    public void Evaluate_FiringNotRecordedAsSent_NoResolved()
    {
        var machine = CreateMachine();
        var state = new AlertState();

        var firing = machine.Evaluate(state, 20.0, true, At(0));
        var resolved = machine.Evaluate(state, 5.0, true, At(10));

        Assert.Single(firing);
        Assert.Empty(resolved);
        Assert.Equal(AlertStatus.Resolved, state.Status);
        Assert.Equal(At(10), state.ResolvedAt);
    }

    [Fact]
    public void Evaluate_NeverFired_NoResolved()
    {
        var machine = CreateMachine(forSeconds: 60);
        var state = new AlertState();

        var pending = EvaluateAndSend(machine, state, 20.0, At(0));
        var cleared = EvaluateAndSend(machine, state, 5.0, At(30));

        Assert.Empty(pending);
        Assert.Empty(cleared);
        Assert.Equal(AlertStatus.Inactive, state.Status);
    }

    [Fact]
    public void Evaluate_PendingDuration_FiresOnlyAfterForSeconds()
    {
        var machine = CreateMachine(forSeconds: 60);
        var state = new AlertState();

        var atStart = EvaluateAndSend(machine, state, 20.0, At(0));
        var beforeEnd = EvaluateAndSend(machine, state, 20.0, At(59));
        Assert.Equal(AlertStatus.Pending, state.Status);
        var atEnd = EvaluateAndSend(machine, state, 20.0, At(60));

        Assert.Empty(atStart);
        Assert.Empty(beforeEnd);
        var firing = Assert.Single(atEnd);
        Assert.Equal(AlertNotificationKind.Firing, firing.Kind);
        Assert.Equal(At(60), firing.StartsAt);
    }

    [Fact]
    public void Evaluate_PendingFlipsBackBeforeForSeconds_SendsNothing()
    {
        var machine = CreateMachine(forSeconds: 60);
        var state = new AlertState();

        var notifications = new List<AlertNotification>();
        notifications.AddRange(EvaluateAndSend(machine, state, 20.0, At(0)));
        notifications.AddRange(EvaluateAndSend(machine, state, 5.0, At(40)));
        notifications.AddRange(EvaluateAndSend(machine, state, 20.0, At(50)));
        notifications.AddRange(EvaluateAndSend(machine, state, 20.0, At(100)));

        Assert.Empty(notifications);
        Assert.Equal(AlertStatus.Pending, state.Status);
        Assert.Equal(At(50), state.PendingSince);
    }

    [Fact]
    public void Evaluate_FlappingData_NoNotificationStorm()
    {
        var machine = CreateMachine(forSeconds: 30);
        var state = new AlertState();

        var notifications = new List<AlertNotification>();
        for (var second = 0; second < 600; second += 5)
        {
            var value = second % 10 == 0 ? 20.0 : 5.0;
            notifications.AddRange(EvaluateAndSend(machine, state, value, At(second)));
        }

        Assert.Empty(notifications);
        Assert.NotEqual(AlertStatus.Firing, state.Status);
    }

    [Fact]
    public void Evaluate_RepeatInterval_SendsRepeatsWhileFiring()
    {
        var machine = CreateMachine(repeatSeconds: 300);
        var state = new AlertState();

        var kinds = new List<(double Second, AlertNotificationKind Kind)>();
        for (var second = 0; second <= 700; second += 50)
        {
            foreach (var notification in EvaluateAndSend(machine, state, 20.0, At(second)))
            {
                kinds.Add((second, notification.Kind));
            }
        }

        Assert.Equal(
            [(0, AlertNotificationKind.Firing), (300, AlertNotificationKind.Repeat), (600, AlertNotificationKind.Repeat)],
            kinds);
    }

    [Fact]
    public void Evaluate_NoRepeatInterval_SendsNoRepeats()
    {
        var machine = CreateMachine();
        var state = new AlertState();
        EvaluateAndSend(machine, state, 20.0, At(0));

        var later = EvaluateAndSend(machine, state, 20.0, At(86_400));

        Assert.Empty(later);
    }

    [Fact]
    public void Evaluate_UnsentFiringAtRepeatInterval_SendsFiringAgain()
    {
        var machine = CreateMachine(repeatSeconds: 60);
        var state = new AlertState();
        machine.Evaluate(state, 20.0, true, At(0));

        var retry = machine.Evaluate(state, 20.0, true, At(60));

        var notification = Assert.Single(retry);
        Assert.Equal(AlertNotificationKind.Firing, notification.Kind);
        Assert.Equal(At(0), notification.StartsAt);
    }

    [Theory]
    [InlineData(AlertComparison.Lt)]
    [InlineData(AlertComparison.Lte)]
    public void Evaluate_LowerBoundIncompleteWindow_DoesNotStart(AlertComparison comparison)
    {
        var machine = CreateMachine(comparison);
        var state = new AlertState();

        var partial = EvaluateAndSend(machine, state, 1.0, At(0), hasFullWindow: false);
        Assert.Equal(AlertStatus.Inactive, state.Status);
        var full = EvaluateAndSend(machine, state, 1.0, At(60), hasFullWindow: true);

        Assert.Empty(partial);
        var firing = Assert.Single(full);
        Assert.Equal(AlertNotificationKind.Firing, firing.Kind);
    }

    [Theory]
    [InlineData(AlertComparison.Gt, 5.0)]
    [InlineData(AlertComparison.Lt, 20.0)]
    public void Evaluate_FiringIncompleteWindow_DoesNotResolve(AlertComparison comparison, double clearValue)
    {
        var machine = CreateMachine(comparison);
        var state = new AlertState
        {
            Status = AlertStatus.Firing,
            EpisodeNumber = 3,
            PendingSince = At(0),
            FiringSince = At(0),
            LastNotifiedAt = At(0),
            FiringNotificationSent = true,
        };

        var partial = EvaluateAndSend(machine, state, clearValue, At(10), hasFullWindow: false);
        Assert.Equal(AlertStatus.Firing, state.Status);
        var full = EvaluateAndSend(machine, state, clearValue, At(70), hasFullWindow: true);

        Assert.Empty(partial);
        var resolved = Assert.Single(full);
        Assert.Equal(AlertNotificationKind.Resolved, resolved.Kind);
        Assert.Equal("cost-high:3", resolved.AlertId);
    }

    [Fact]
    public void Evaluate_GreaterThanIncompleteWindow_Fires()
    {
        var machine = CreateMachine();
        var state = new AlertState();

        var notifications = EvaluateAndSend(machine, state, 20.0, At(0), hasFullWindow: false);

        Assert.Single(notifications);
    }

    [Fact]
    public void Evaluate_EmptyWindowGreaterThan_Resolves()
    {
        var machine = CreateMachine();
        var state = new AlertState();
        EvaluateAndSend(machine, state, 20.0, At(0));

        var notifications = EvaluateAndSend(machine, state, null, At(60));

        var resolved = Assert.Single(notifications);
        Assert.Equal(AlertNotificationKind.Resolved, resolved.Kind);
        Assert.Null(resolved.Value);
    }

    [Fact]
    public void Evaluate_EmptyWindowLessThan_KeepsState()
    {
        var machine = CreateMachine(AlertComparison.Lt);
        var state = new AlertState();
        EvaluateAndSend(machine, state, 1.0, At(0));

        var whileFiring = EvaluateAndSend(machine, state, null, At(60));
        Assert.Equal(AlertStatus.Firing, state.Status);
        var inactiveState = new AlertState();
        var whileInactive = EvaluateAndSend(machine, inactiveState, null, At(60));

        Assert.Empty(whileFiring);
        Assert.Empty(whileInactive);
        Assert.Equal(AlertStatus.Inactive, inactiveState.Status);
    }

    [Fact]
    public void Evaluate_Episodes_IdsStableWithinAndDifferAcross()
    {
        var machine = CreateMachine(repeatSeconds: 60);
        var state = new AlertState();

        var firstFiring = Assert.Single(EvaluateAndSend(machine, state, 20.0, At(0)));
        var firstRepeat = Assert.Single(EvaluateAndSend(machine, state, 20.0, At(60)));
        var firstResolved = Assert.Single(EvaluateAndSend(machine, state, 5.0, At(90)));
        var secondFiring = Assert.Single(EvaluateAndSend(machine, state, 20.0, At(120)));

        Assert.Equal("cost-high:1", firstFiring.AlertId);
        Assert.Equal(firstFiring.AlertId, firstRepeat.AlertId);
        Assert.Equal(firstFiring.AlertId, firstResolved.AlertId);
        Assert.Equal("cost-high:2", secondFiring.AlertId);
        Assert.Equal(2, secondFiring.EpisodeNumber);
    }

    [Fact]
    public void RecordSent_OlderEpisode_Ignored()
    {
        var machine = CreateMachine();
        var state = new AlertState();
        var stale = Assert.Single(machine.Evaluate(state, 20.0, true, At(0)));
        machine.Evaluate(state, 5.0, true, At(10));
        machine.Evaluate(state, 20.0, true, At(20));

        AlertStateMachine.RecordSent(state, stale);

        Assert.False(state.FiringNotificationSent);
        Assert.Empty(machine.Evaluate(state, 5.0, true, At(30)));
    }
}
