using System.Security.Cryptography;
using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFlow.Grains.Alerts;

/// <summary>
/// Evaluates one alert rule over a sliding window of its metric and sends its notifications as deliveries.
/// </summary>
/// <remarks>
/// <para>
/// The rule, its secret and its alert state are stored; the window lives in memory only. After an activation the
/// window starts empty and <see cref="AlertStateMachine"/> neither fires <c>lt</c>/<c>lte</c> rules nor resolves a
/// firing alert until the rule has observed one full window.
/// </para>
/// <para>
/// Each notification is written to an outbox in the same state write as the alert state that decided it, and then
/// handed to a delivery grain under a delivery id fixed in the outbox. A crash between those steps makes the next
/// flush hand it over again, which the delivery grain recognizes, so nothing decided is lost and nothing sent
/// twice. A resolved notification waits in the outbox until the deliveries of the episode's firing and repeat
/// notifications have finished. It is sent if one of them succeeded and dropped if all failed for good.
/// </para>
/// <para>
/// While a rule or an unsent notification exists, a reminder named <see cref="ReminderName"/> brings the grain back
/// after a silo restart, and a grain timer evaluates it every <see cref="AlertOptions.EvaluationInterval"/>.
/// </para>
/// </remarks>
[GrainType("alert-rule")]
internal sealed partial class AlertRuleGrain : Grain, IAlertRuleGrain, IRemindable
{
    /// <summary>The name of the reminder that keeps the rule evaluating across silo restarts.</summary>
    public const string ReminderName = "alert-keep-alive";

    // Alert notifications go to a URL rather than a registered webhook. This value replaces the webhook id when
    // delivery ids are derived, and no registered webhook id has this form.
    private const string DeliveryNamespace = "alert-rule";

    private readonly IPersistentState<AlertRuleState> _state;
    private readonly IOptionsMonitor<AlertOptions> _options;
    private readonly TimeSpan _reminderPeriod;
    private readonly TimeProvider _clock;
    private readonly MeshFlowMetrics _metrics;
    private readonly ILogger<AlertRuleGrain> _logger;
    private SlidingWindow? _window;
    private AlertStateMachine? _machine;
    private IGrainTimer? _timer;
    private bool _hasReminder;

    public AlertRuleGrain(
        [PersistentState(StorageNames.AlertRuleState, StorageNames.Store)] IPersistentState<AlertRuleState> state,
        IOptionsMonitor<AlertOptions> options,
        IOptions<ReminderOptions> reminderOptions,
        [FromKeyedServices(MeshFlowClock.ServiceKey)] TimeProvider clock,
        MeshFlowMetrics metrics,
        ILogger<AlertRuleGrain> logger)
    {
        _state = state;
        _options = options;
        _reminderPeriod = GrainStateExtensions.WakeUpPeriod(reminderOptions.Value);
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
    }

    private bool IsLive => _state.State.Rule is not null || _state.State.Outbox.Count > 0;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The reminder is already stored for a live rule, so activation needs no I/O; a dead record deactivates.
        _hasReminder = IsLive;
        if (_state.State.Rule is { } rule)
        {
            UseRule(rule, resetWindow: true);
        }

        if (IsLive)
        {
            StartTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<AlertRuleConfigured> ConfigureAsync(AlertRule rule, string? secret, bool replace)
    {
        AlertRule.Validate(rule);
        if (secret is not null)
        {
            Validation.Secret(secret);
        }

        var (tenantId, name) = ParseKey();
        if (!string.Equals(rule.Name, name, StringComparison.Ordinal))
        {
            throw new MeshFlowValidationException($"Alert rule name '{rule.Name}' does not match the grain key's rule name '{name}'.");
        }

        var current = _state.State;
        var existing = current.Rule;
        if (existing is not null && existing == rule && (secret is null || secret == current.Secret))
        {
            // The same rule again, such as a retried call: nothing changes and no secret is generated.
            return new AlertRuleConfigured(new AlertRuleAdded(existing, null, Replaced: false, Unchanged: true), existing.Metric);
        }

        if (existing is not null && !replace)
        {
            throw new MeshFlowValidationException(
                $"Alert rule '{name}' already exists for tenant '{tenantId}': replace it (the --replace option of "
                + "'meshflow alerts add'), or choose another name.");
        }

        var generated = secret is null && (existing is null || current.Secret is null) ? GenerateSecret() : null;
        var next = current.Clone();
        var now = _clock.GetUtcNow();
        if (existing is null)
        {
            // A rule added again after removal continues the episode count, so its alert ids are new.
            next.Alert = new AlertState { EpisodeNumber = current.Alert.EpisodeNumber };
        }
        else if (existing != rule)
        {
            // A changed rule starts afresh; an alert it was firing resolves with the old rule's fields. Replacing
            // only the secret keeps the alert as it is.
            EndEpisode(next, existing, tenantId, now, $"alert rule {name} was replaced");
            next.Alert = new AlertState { EpisodeNumber = next.Alert.EpisodeNumber };
        }

        next.Rule = rule;
        next.Secret = secret ?? generated ?? current.Secret;

        // The reminder is stored first: a rule whose write succeeded always has its wake-up, and a reminder left by a
        // failed write finds no rule and removes itself.
        await EnsureReminderAsync();
        await CommitAsync(next);

        // The registry subscribed the rule before this call, but a batch that reached this grain before the rule was
        // stored makes the metric grain drop it again, so the rule subscribes once more. The call is one-way because
        // the metric grain may be waiting on this grain. The reminder repeats it every minute as a fallback.
        GrainFactory.GetGrain<IMetricGrain>(GrainKeys.Metric(tenantId, rule.Metric)).SubscribeAsync(name).Ignore();

        var resetWindow = existing is null || existing.Metric != rule.Metric || existing.WindowSeconds != rule.WindowSeconds;
        UseRule(rule, resetWindow);
        StartTimer();
        LogConfigured(_logger, tenantId, name, rule.Metric, existing is not null);
        await FlushOutboxAsync(tenantId);

        return new AlertRuleConfigured(new AlertRuleAdded(rule, generated, Replaced: existing is not null), existing?.Metric);
    }

    public async Task<AlertRule?> RemoveAsync()
    {
        if (_state.State.Rule is not { } rule)
        {
            return null;
        }

        var (tenantId, name) = ParseKey();
        var next = _state.State.Clone();
        EndEpisode(next, rule, tenantId, _clock.GetUtcNow(), $"alert rule {name} was removed");
        next.Alert = new AlertState { EpisodeNumber = next.Alert.EpisodeNumber };
        next.Rule = null;
        next.Secret = null;
        await CommitAsync(next);

        _window = null;
        _machine = null;
        LogRemoved(_logger, tenantId, name);
        await FlushOutboxAsync(tenantId);
        await StopIfDoneAsync();
        return rule;
    }

    public Task<AlertRule?> GetRuleAsync() => Task.FromResult(_state.State.Rule);

    public async Task<AlertEvaluation?> EvaluateAsync()
    {
        if (_state.State.Rule is null)
        {
            return null;
        }

        return await EvaluateCoreAsync();
    }

    public Task<bool> RecordAsync(string metric, IReadOnlyList<MetricSample> samples)
    {
        if (_state.State.Rule is not { } rule || _window is null || !string.Equals(rule.Metric, metric, StringComparison.Ordinal))
        {
            return Task.FromResult(false);
        }

        var now = _clock.GetUtcNow();
        long tooLate = 0, future = 0;
        foreach (var sample in samples)
        {
            switch (_window.Add(sample.Value, sample.Timestamp ?? now, now))
            {
                case SampleAddResult.RejectedTooLate:
                    tooLate++;
                    break;
                case SampleAddResult.RejectedFuture:
                    future++;
                    break;
            }
        }

        _metrics.RecordRejected(tooLate, "too_late");
        _metrics.RecordRejected(future, "future");

        return Task.FromResult(true);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        _hasReminder = true;
        if (!IsLive)
        {
            await StopIfDoneAsync();
            return;
        }

        // Repair the tenant's rule list and the metric's watcher list in case a call that changed them was cut off.
        // Both calls are one-way or idempotent and cheap, once a minute per rule.
        var (tenantId, name) = ParseKey();
        var rule = _state.State.Rule;
        GrainFactory.GetGrain<IAlertRegistrySync>(GrainKeys.AlertRegistry(tenantId)).SyncRuleAsync(name).Ignore();
        if (rule is not null)
        {
            GrainFactory.GetGrain<IMetricGrain>(GrainKeys.Metric(tenantId, rule.Metric)).SubscribeAsync(name).Ignore();
        }

        StartTimer();
        await FlushOutboxAsync(tenantId);
    }

    private static string GenerateSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private (string TenantId, string RuleName) ParseKey()
    {
        // Key layout: alert-rule/{tenantId}/{ruleName}; neither may contain '/'.
        var parts = this.GetPrimaryKeyString().Split('/');
        return (parts[1], parts[2]);
    }

    private void UseRule(AlertRule rule, bool resetWindow)
    {
        _machine = new AlertStateMachine(rule);
        if (resetWindow || _window is null)
        {
            _window = new SlidingWindow(rule.WindowSeconds, _clock.GetUtcNow());
        }
    }

    private async Task<AlertEvaluation> EvaluateCoreAsync()
    {
        var rule = _state.State.Rule!;
        var (tenantId, _) = ParseKey();
        var now = _clock.GetUtcNow();
        var value = _window!.Evaluate(rule.Aggregation, now);
        var hasFullWindow = _window.HasFullWindow(now);

        var next = _state.State.Clone();
        foreach (var notification in _machine!.Evaluate(next.Alert, value, hasFullWindow, now))
        {
            Enqueue(next, rule, tenantId, notification, AlertText.Describe(rule, notification.Value), now);
        }

        if (next.Alert != _state.State.Alert || next.Outbox.Count != _state.State.Outbox.Count)
        {
            await CommitAsync(next);
        }

        await FlushOutboxAsync(tenantId);

        var state = next.Alert.Status == AlertStatus.Resolved ? AlertStatus.Inactive : next.Alert.Status;
        return new AlertEvaluation(rule.Name, state, value, rule.Threshold, AlertText.Describe(rule, value), hasFullWindow);
    }

    private void EndEpisode(AlertRuleState next, AlertRule rule, string tenantId, DateTimeOffset now, string reason)
    {
        var machine = new AlertStateMachine(rule);
        var value = _window?.Evaluate(rule.Aggregation, now);
        if (machine.EndEpisode(next.Alert, value, now) is { } resolved)
        {
            // Called before the new rule and secret are set, so it goes out with the old rule's URL, secret and
            // fields and matches the firing notification it ends.
            Enqueue(next, rule, tenantId, resolved, reason, now);
        }
    }

    private void Enqueue(
        AlertRuleState next,
        AlertRule rule,
        string tenantId,
        AlertNotification notification,
        string reason,
        DateTimeOffset now)
    {
        var suffix = notification.Kind switch
        {
            AlertNotificationKind.Firing => "firing",
            AlertNotificationKind.Resolved => "resolved",
            _ => "repeat-" + now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var eventId = notification.AlertId + ":" + suffix;
        next.Outbox.Add(new AlertOutboxEntry
        {
            DeliveryId = DeliveryIdOf(tenantId, eventId),
            EventId = eventId,
            EventType = rule.Event,
            Url = rule.WebhookUrl,
            Secret = next.Secret ?? throw new InvalidOperationException($"Alert rule '{rule.Name}' has no secret."),
            Body = AlertPayload.Serialize(tenantId, rule, notification, reason, now),
            AfterDeliveryId = notification.Kind == AlertNotificationKind.Resolved
                ? DeliveryIdOf(tenantId, notification.AlertId + ":firing")
                : null,
            Kind = notification.Kind,
        });
        AlertStateMachine.RecordSent(next.Alert, notification);
        _metrics.AlertNotifications.Add(1, new KeyValuePair<string, object?>("kind", suffix.StartsWith("repeat", StringComparison.Ordinal) ? "repeat" : suffix));
        LogNotificationQueued(_logger, tenantId, rule.Name, notification.AlertId, notification.Kind);
    }

    private static string DeliveryIdOf(string tenantId, string eventId) =>
        GrainKeys.DeliveryIdFor(tenantId, eventId, DeliveryNamespace);

    private async Task OnTimerAsync()
    {
        try
        {
            if (_state.State.Rule is not null)
            {
                await EvaluateCoreAsync();
            }
            else
            {
                await FlushOutboxAsync(ParseKey().TenantId);
                await StopIfDoneAsync();
            }
        }
        catch (Exception ex)
        {
            LogEvaluationFailed(_logger, ex, this.GetPrimaryKeyString());
        }
    }

    private void StartTimer()
    {
        if (_timer is not null)
        {
            return;
        }

        var interval = _options.CurrentValue.EvaluationInterval;
        _timer = this.RegisterGrainTimer(
            static (grain, _) => grain.OnTimerAsync(),
            this,
            new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
    }

    private async Task EnsureReminderAsync()
    {
        if (!_hasReminder)
        {
            await this.RegisterOrUpdateReminder(ReminderName, _reminderPeriod, _reminderPeriod);
            _hasReminder = true;
        }
    }

    private async Task StopIfDoneAsync()
    {
        if (IsLive)
        {
            return;
        }

        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _hasReminder = false;
        DeactivateOnIdle();
    }

    // Swaps in the next state only once it is stored; a failed write leaves the previous state in place.
    private async Task CommitAsync(AlertRuleState next)
    {
        try
        {
            await _state.CommitAsync(next);
        }
        catch
        {
            // The write may have reached storage before failing; a fresh activation reads what is really stored.
            DeactivateOnIdle();
            throw;
        }
    }
}
