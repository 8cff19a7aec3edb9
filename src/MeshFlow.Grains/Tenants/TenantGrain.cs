using MeshFlow.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Grains.Tenants;

/// <summary>
/// A tenant's webhook registry. Every change is written to storage before the call returns, and a failed write
/// leaves the registry as it was.
/// </summary>
[GrainType("tenant")]
internal sealed partial class TenantGrain : Grain, ITenantGrain, IWebhookRoutingGrain
{
    /// <summary>The most webhooks one tenant may register, which also bounds the fan-out of one event.</summary>
    public const int MaxWebhooks = 100;

    private readonly IPersistentState<TenantState> _state;
    private readonly TimeProvider _clock;
    private readonly ILogger<TenantGrain> _logger;
    private string _tenantId = "";

    public TenantGrain(
        [PersistentState(StorageNames.TenantState, StorageNames.Store)] IPersistentState<TenantState> state,
        [FromKeyedServices(MeshFlowClock.ServiceKey)] TimeProvider clock,
        ILogger<TenantGrain> logger)
    {
        _state = state;
        _clock = clock;
        _logger = logger;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenantId = GrainKeys.TenantIdOf(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<Webhook> RegisterWebhookAsync(WebhookRegistration registration)
    {
        if (registration is null)
        {
            throw new MeshFlowValidationException("Missing webhook registration.");
        }

        var uri = Validation.WebhookUrl(registration.Url);
        Validation.Secret(registration.Secret);
        var events = Validation.SubscribedEvents(registration.Events);
        Validation.OptionalText(registration.Description, "description", Validation.MaxDescriptionLength);
        if (_state.State.Webhooks.Count >= MaxWebhooks)
        {
            throw new MeshFlowValidationException(
                $"Tenant '{_tenantId}' already has {MaxWebhooks} webhooks, the maximum: remove one before adding another.");
        }

        var entry = new WebhookEntry
        {
            Id = GrainKeys.NewWebhookId(),
            Url = uri.AbsoluteUri,
            Secret = registration.Secret,
            Events = [.. events],
            Description = registration.Description,
            Enabled = true,
            CreatedAt = _clock.GetUtcNow(),
        };

        await ChangeAsync(webhooks => webhooks.Add(entry));
        LogRegistered(_logger, _tenantId, entry.Id, entry.Url, entry.Events);
        return entry.ToWebhook(_tenantId);
    }

    public Task<IReadOnlyList<Webhook>> ListWebhooksAsync()
    {
        IReadOnlyList<Webhook> webhooks = [.. _state.State.Webhooks.Select(entry => entry.ToWebhook(_tenantId))];
        return Task.FromResult(webhooks);
    }

    public Task<Webhook> GetWebhookAsync(string webhookId) => Task.FromResult(Find(webhookId).ToWebhook(_tenantId));

    public async Task<Webhook> RemoveWebhookAsync(string webhookId)
    {
        var entry = Find(webhookId);
        await ChangeAsync(webhooks => webhooks.RemoveAll(candidate => candidate.Id == entry.Id));
        LogRemoved(_logger, _tenantId, entry.Id);
        return entry.ToWebhook(_tenantId);
    }

    public async Task<Webhook> SetWebhookEnabledAsync(string webhookId, bool enabled)
    {
        var entry = Find(webhookId);
        if (entry.Enabled == enabled)
        {
            return entry.ToWebhook(_tenantId);
        }

        var changed = entry.Clone();
        changed.Enabled = enabled;
        changed.DisabledReason = enabled ? null : "disabled by an operator";
        await ChangeAsync(webhooks => webhooks[webhooks.FindIndex(candidate => candidate.Id == entry.Id)] = changed);
        LogEnabledChanged(_logger, _tenantId, entry.Id, enabled);
        return changed.ToWebhook(_tenantId);
    }

    public Task<IReadOnlyList<WebhookTarget>> GetTargetsAsync(string eventType)
    {
        IReadOnlyList<WebhookTarget> targets =
        [
            .. _state.State.Webhooks
                .Where(entry => entry.Enabled && entry.Matches(eventType))
                .Select(entry => new WebhookTarget(entry.Id, entry.Url, entry.Secret)),
        ];
        return Task.FromResult(targets);
    }

    public async Task DisableGoneAsync(string webhookId, string reason)
    {
        var index = _state.State.Webhooks.FindIndex(candidate => candidate.Id == webhookId);
        if (index < 0 || !_state.State.Webhooks[index].Enabled)
        {
            return;
        }

        var changed = _state.State.Webhooks[index].Clone();
        changed.Enabled = false;
        changed.DisabledReason = reason;
        await ChangeAsync(webhooks => webhooks[index] = changed);
        LogDisabledGone(_logger, _tenantId, webhookId, reason);
    }

    private WebhookEntry Find(string webhookId)
    {
        GrainKeys.ValidateWebhookId(webhookId);
        return _state.State.Webhooks.Find(candidate => candidate.Id == webhookId)
            ?? throw new MeshFlowNotFoundException(
                $"Webhook '{webhookId}' not found for tenant '{_tenantId}': list the tenant's webhooks to see their ids.");
    }

    // Applies the change to a copy and swaps it in only after the write succeeds, so a failed write changes nothing.
    private async Task ChangeAsync(Action<List<WebhookEntry>> change)
    {
        var next = new TenantState { Webhooks = [.. _state.State.Webhooks] };
        change(next.Webhooks);
        await _state.CommitAsync(next);
    }

    [LoggerMessage(EventId = 1001, EventName = "WebhookRegistered", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: registered webhook {WebhookId} for {Url} on events {Events}")]
    private static partial void LogRegistered(
        ILogger logger,
        string tenantId,
        string webhookId,
        string url,
        IEnumerable<string> events);

    [LoggerMessage(EventId = 1002, EventName = "WebhookRemoved", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: removed webhook {WebhookId}")]
    private static partial void LogRemoved(ILogger logger, string tenantId, string webhookId);

    [LoggerMessage(EventId = 1003, EventName = "WebhookEnabledChanged", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: webhook {WebhookId} enabled = {Enabled}")]
    private static partial void LogEnabledChanged(ILogger logger, string tenantId, string webhookId, bool enabled);

    [LoggerMessage(EventId = 1004, EventName = "WebhookDisabledGone", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: disabled webhook {WebhookId}: {Reason}")]
    private static partial void LogDisabledGone(ILogger logger, string tenantId, string webhookId, string reason);
}
