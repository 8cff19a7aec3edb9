using MeshFlow.Grains.Hosting;
using MeshFlow.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshFlow.Grains.Delivery;

/// <summary>
/// Delivers one signed request and retries it durably. The state is written before <see cref="AcceptAsync"/>
/// returns, and a reminder named <see cref="ReminderName"/> is the durable wake-up of every pending attempt, so a
/// lost activation or silo resumes the delivery wherever the reminder fires next.
/// </summary>
/// <remarks>
/// While the activation lives, a grain timer runs each attempt on time, because a reminder's first tick slides to
/// its next period when registration takes longer than its due time. The reminder is due
/// <see cref="ReminderGrace"/> after the attempt and repeats every minute, so it acts only when the activation that
/// should have run the attempt is gone, or died mid-attempt. Waits of a minute or more rely on the reminder alone
/// and free the activation. A wake-up at a time when the stored state shows no attempt is due (a duplicate reminder
/// tick, a tick that raced a re-registration) sends nothing.
/// </remarks>
[GrainType("delivery")]
internal sealed partial class DeliveryGrain : Grain, IDeliveryGrain, IRemindable
{
    /// <summary>The name of the reminder that wakes the delivery for its next attempt.</summary>
    public const string ReminderName = "next-attempt";

    // A tick this early is still treated as on time: reminder and grain clocks can differ slightly between silos.
    private static readonly TimeSpan DueTolerance = TimeSpan.FromSeconds(1);

    // Deliveries waiting at least this long free their activation; the reminder brings them back.
    private static readonly TimeSpan DeactivateWhenIdleFor = TimeSpan.FromMinutes(1);

    // How long after an attempt is due the durable reminder fires, if the timer has not run it by then.
    private static readonly TimeSpan ReminderGrace = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<DeliveryState> _state;
    private readonly IWebhookSender _sender;
    private readonly IOptionsMonitor<DeliveryOptions> _options;
    private readonly TimeSpan _reminderPeriod;
    private readonly TimeProvider _clock;
    private readonly MeshFlowMetrics _metrics;
    private readonly ILogger<DeliveryGrain> _logger;
    private IGrainReminder? _reminder;
    private IGrainTimer? _timer;

    public DeliveryGrain(
        [PersistentState(StorageNames.DeliveryState, StorageNames.Store)] IPersistentState<DeliveryState> state,
        IWebhookSender sender,
        IOptionsMonitor<DeliveryOptions> options,
        IOptions<ReminderOptions> reminderOptions,
        [FromKeyedServices(MeshFlowClock.ServiceKey)] TimeProvider clock,
        MeshFlowMetrics metrics,
        ILogger<DeliveryGrain> logger)
    {
        _state = state;
        _sender = sender;
        _options = options;
        _reminderPeriod = GrainStateExtensions.WakeUpPeriod(reminderOptions.Value);
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
    }

    private string DeliveryId => this.GetPrimaryKeyString()["delivery/".Length..];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (_state.RecordExists && IsExpired(now))
        {
            await _state.ClearStateAsync(cancellationToken);
            return;
        }

        // A pending delivery reactivated by a status query or a repeated accept resumes on time. Its reminder is
        // already stored, so this needs no I/O.
        StartTimerIfPending(now);
    }

    public async Task<DeliveryInfo> AcceptAsync(DeliveryRequest request)
    {
        ValidateRequest(request);
        var now = _clock.GetUtcNow();
        if (_state.RecordExists && !IsExpired(now))
        {
            if (!string.Equals(_state.State.TenantId, request.TenantId, StringComparison.Ordinal))
            {
                throw new MeshFlowValidationException(
                    $"Delivery id '{DeliveryId}' is already in use: generate a new one with GrainKeys.NewDeliveryId().");
            }

            StartTimerIfPending(now);
            return _state.State.ToInfo();
        }

        // The reminder is stored before the state: if the silo dies in between, the leftover reminder finds no record
        // and removes itself, while the reverse order could leave a pending record that nothing ever wakes.
        await RegisterReminderAsync(TimeSpan.Zero);
        _state.State = new DeliveryState
        {
            Id = DeliveryId,
            TenantId = request.TenantId,
            WebhookId = request.WebhookId,
            Url = request.Url,
            Secret = request.Secret,
            EventType = request.EventType,
            EventId = request.EventId,
            Body = request.Body,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
            AcceptedAt = now,
        };
        await _state.WriteStateAsync();

        StartTimer(TimeSpan.Zero);
        _metrics.DeliveriesAccepted.Add(1);
        LogAccepted(_logger, DeliveryId, request.TenantId, request.WebhookId, request.Url);
        return _state.State.ToInfo();
    }

    public Task<DeliveryInfo> GetAsync(string tenantId)
    {
        if (!_state.RecordExists
            || !string.Equals(_state.State.TenantId, tenantId, StringComparison.Ordinal)
            || IsExpired(_clock.GetUtcNow()))
        {
            throw new MeshFlowNotFoundException(
                $"Delivery '{DeliveryId}' not found for tenant '{tenantId}': check the id and the tenant, and note that "
                + $"finished deliveries are kept for {_options.CurrentValue.Retention.TotalDays:0.##} days.");
        }

        return Task.FromResult(_state.State.ToInfo());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await WakeUpAsync(fromReminder: true);
        }
    }

    private static void ValidateRequest(DeliveryRequest request)
    {
        if (request is null)
        {
            throw new MeshFlowValidationException("Missing delivery request.");
        }

        Validation.TenantId(request.TenantId);
        Validation.WebhookUrl(request.Url);
        Validation.Secret(request.Secret);
        if (request.Body is null || request.Body.Length == 0 || request.Body.Length > Validation.MaxPayloadBytes)
        {
            throw new MeshFlowValidationException(
                $"Invalid payload: it has {request.Body?.Length ?? 0} bytes; send a JSON object of 1 to "
                + $"{Validation.MaxPayloadBytes} bytes.");
        }
    }

    private async Task WakeUpAsync(bool fromReminder)
    {
        var state = _state.State;
        if (!_state.RecordExists || state.Status != DeliveryStatus.Pending || state.Body is null || state.Secret is null)
        {
            // Finished or cleared: the wake-up is left over from before the final write.
            await CancelScheduleAsync();
            DeactivateOnIdle();
            return;
        }

        var now = _clock.GetUtcNow();
        var dueAt = state.NextAttemptAt ?? now;
        if (dueAt - now > DueTolerance)
        {
            LogWakeUpNotDue(_logger, DeliveryId, fromReminder, dueAt);
            if (fromReminder)
            {
                // Early by more than clock skew: make sure a wake-up still follows the due time.
                await ScheduleAsync(dueAt - now);
            }

            return;
        }

        await AttemptAsync(state, now);
    }

    private bool IsExpired(DateTimeOffset now) =>
        _state.State.Status != DeliveryStatus.Pending
        && _state.State.CompletedAt is { } completedAt
        && now - completedAt >= _options.CurrentValue.Retention;

    private async Task AttemptAsync(DeliveryState state, DateTimeOffset startedAt)
    {
        var options = _options.CurrentValue;
        var number = state.Attempts.Count + 1;
        var outcome = await SendAsync(state);
        var decision = DeliveryPolicy.Decide(outcome, number, options, Random.Shared.NextDouble());
        var attempt = new DeliveryAttempt(
            number,
            startedAt,
            outcome.StatusCode,
            decision.Error,
            (long)outcome.Duration.TotalMilliseconds);
        RecordAttemptMetrics(decision.Kind, outcome);

        if (decision.Kind == DeliveryDecisionKind.Retry)
        {
            var delay = decision.Delay ?? options.InitialBackoff;
            var now = _clock.GetUtcNow();
            var retrying = state.Clone();
            retrying.Attempts.Add(attempt);
            retrying.NextAttemptAt = now + delay;
            await CommitAsync(retrying);
            await ScheduleAsync(delay);
            LogRetryScheduled(_logger, DeliveryId, number, attempt.Error, retrying.NextAttemptAt.Value);
            return;
        }

        if (decision.Kind == DeliveryDecisionKind.Gone && state.WebhookId is { } webhookId)
        {
            // Disable before the final write: if the silo dies in between, the next tick repeats both steps.
            var routing = GrainFactory.GetGrain<IWebhookRoutingGrain>(GrainKeys.Tenant(state.TenantId));
            await routing.DisableGoneAsync(webhookId, $"the receiver answered 410 Gone to delivery {DeliveryId}");
        }

        await FinishAsync(state, attempt, decision.Kind == DeliveryDecisionKind.Succeeded);
    }

    private async Task<AttemptOutcome> SendAsync(DeliveryState state)
    {
        var message = new WebhookMessage(DeliveryId, new Uri(state.Url), state.EventType, state.Body, state.Secret!);
        try
        {
            return await _sender.SendAsync(message, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An unexpected failure still counts as a failed attempt, so the retry budget bounds it.
            LogAttemptCrashed(_logger, ex, DeliveryId);
            return new AttemptOutcome(null, "unexpected error: " + ex.GetType().Name, null, TimeSpan.Zero);
        }
    }

    private async Task FinishAsync(DeliveryState state, DeliveryAttempt attempt, bool succeeded)
    {
        var finished = state.Clone();
        finished.Attempts.Add(attempt);
        finished.Status = succeeded ? DeliveryStatus.Succeeded : DeliveryStatus.Failed;
        finished.NextAttemptAt = null;
        finished.CompletedAt = _clock.GetUtcNow();
        finished.Body = null;
        finished.Secret = null;
        await CommitAsync(finished);
        await CancelScheduleAsync();
        _metrics.DeliveriesFinished.Add(1, new KeyValuePair<string, object?>("status", succeeded ? "succeeded" : "failed"));

        if (succeeded)
        {
            LogSucceeded(_logger, DeliveryId, attempt.Number, attempt.StatusCode ?? 0);
        }
        else
        {
            LogFailed(_logger, DeliveryId, attempt.Number, attempt.Error);
        }

        DeactivateOnIdle();
    }

    // Swaps in the next state only once it is stored. A failed write leaves the pending state and its reminder as they
    // were, so the next wake-up retries instead of treating an unstored outcome as final.
    private Task CommitAsync(DeliveryState next) => _state.CommitAsync(next);

    private async Task ScheduleAsync(TimeSpan delay)
    {
        await RegisterReminderAsync(delay);
        StartTimer(delay);
    }

    private async Task RegisterReminderAsync(TimeSpan delay)
    {
        _reminder = await this.RegisterOrUpdateReminder(ReminderName, delay + ReminderGrace, _reminderPeriod);
    }

    private void StartTimer(TimeSpan delay)
    {
        _timer?.Dispose();
        _timer = null;
        if (delay < DeactivateWhenIdleFor)
        {
            _timer = this.RegisterGrainTimer(
                static (grain, _) => grain.WakeUpAsync(fromReminder: false),
                this,
                new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));
        }
        else
        {
            DeactivateOnIdle();
        }
    }

    private void StartTimerIfPending(DateTimeOffset now)
    {
        if (_timer is not null || !_state.RecordExists || _state.State.Status != DeliveryStatus.Pending)
        {
            return;
        }

        var dueAt = _state.State.NextAttemptAt ?? now;
        var delay = dueAt > now ? dueAt - now : TimeSpan.Zero;
        if (delay < DeactivateWhenIdleFor)
        {
            StartTimer(delay);
        }
    }

    private async Task CancelScheduleAsync()
    {
        _timer?.Dispose();
        _timer = null;
        var reminder = _reminder ?? await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminder = null;
    }

    private void RecordAttemptMetrics(DeliveryDecisionKind kind, AttemptOutcome outcome)
    {
        var tag = new KeyValuePair<string, object?>("outcome", kind.ToString().ToLowerInvariant());
        _metrics.Attempts.Add(1, tag);
        _metrics.AttemptDuration.Record(outcome.Duration.TotalMilliseconds, tag);
    }
}
