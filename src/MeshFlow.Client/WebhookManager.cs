using MeshFlow.Grains;

namespace MeshFlow.Client;

/// <summary>
/// Registers, lists, shows, removes, enables and disables a tenant's webhooks through its
/// <see cref="ITenantGrain"/>.
/// </summary>
/// <remarks>
/// Inputs are validated with the rules in <see cref="Validation"/> and <see cref="GrainKeys"/> before any grain
/// call, so an invalid value fails with <see cref="MeshFlowValidationException"/> without a round trip.
/// <see cref="MeshFlowNotFoundException"/> from the grain reaches the caller unchanged. A cancellation token stops
/// waiting for the grain's response, but it does not cancel the grain call itself. Receivers check each request with
/// <see cref="WebhookSignature.Verify"/> and the secret given at registration.
/// </remarks>
public sealed class WebhookManager
{
    private readonly IGrainFactory grainFactory;

    public WebhookManager(IGrainFactory grainFactory)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        this.grainFactory = grainFactory;
    }

    /// <summary>
    /// Registers a webhook and returns it with its generated id. Repeated event types are sent once, in the order
    /// given. The returned webhook never contains the secret.
    /// </summary>
    public async Task<Webhook> RegisterAsync(
        string tenantId,
        WebhookRegistration registration,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);

        var tenant = GetTenant(tenantId);
        Validation.WebhookUrl(registration.Url);
        Validation.Secret(registration.Secret);
        var events = Validation.SubscribedEvents(registration.Events);
        Validation.OptionalText(registration.Description, "description", Validation.MaxDescriptionLength);

        return await tenant.RegisterWebhookAsync(registration with { Events = events }).WaitAsync(cancellationToken);
    }

    /// <summary>Returns every webhook of the tenant, oldest first.</summary>
    public async Task<IReadOnlyList<Webhook>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var tenant = GetTenant(tenantId);
        return await tenant.ListWebhooksAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Returns one webhook, or throws <see cref="MeshFlowNotFoundException"/>.</summary>
    public async Task<Webhook> GetAsync(string tenantId, string webhookId, CancellationToken cancellationToken = default)
    {
        var tenant = GetTenant(tenantId);
        GrainKeys.ValidateWebhookId(webhookId);
        return await tenant.GetWebhookAsync(webhookId).WaitAsync(cancellationToken);
    }

    /// <summary>Removes one webhook and returns it, or throws <see cref="MeshFlowNotFoundException"/>.</summary>
    public async Task<Webhook> RemoveAsync(
        string tenantId,
        string webhookId,
        CancellationToken cancellationToken = default)
    {
        var tenant = GetTenant(tenantId);
        GrainKeys.ValidateWebhookId(webhookId);
        return await tenant.RemoveWebhookAsync(webhookId).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Enables one webhook so new events reach it again, and returns it, or throws
    /// <see cref="MeshFlowNotFoundException"/>.
    /// </summary>
    public Task<Webhook> EnableAsync(string tenantId, string webhookId, CancellationToken cancellationToken = default) =>
        SetEnabledAsync(tenantId, webhookId, enabled: true, cancellationToken);

    /// <summary>
    /// Disables one webhook so new events skip it, and returns it, or throws
    /// <see cref="MeshFlowNotFoundException"/>.
    /// </summary>
    public Task<Webhook> DisableAsync(
        string tenantId,
        string webhookId,
        CancellationToken cancellationToken = default) =>
        SetEnabledAsync(tenantId, webhookId, enabled: false, cancellationToken);

    private async Task<Webhook> SetEnabledAsync(
        string tenantId,
        string webhookId,
        bool enabled,
        CancellationToken cancellationToken)
    {
        var tenant = GetTenant(tenantId);
        GrainKeys.ValidateWebhookId(webhookId);
        return await tenant.SetWebhookEnabledAsync(webhookId, enabled).WaitAsync(cancellationToken);
    }

    private ITenantGrain GetTenant(string tenantId) => grainFactory.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenantId));
}
