using Orleans.Concurrency;

namespace MeshFlow.Grains;

/// <summary>
/// A tenant's webhook registry. Key: <see cref="GrainKeys.Tenant"/>.
/// </summary>
[Alias("meshflow.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Validates and stores a webhook, returning it with its generated id.</summary>
    [Alias("register")]
    Task<Webhook> RegisterWebhookAsync(WebhookRegistration registration);

    /// <summary>Returns every webhook of the tenant, oldest first.</summary>
    [Alias("list")]
    [ReadOnly]
    Task<IReadOnlyList<Webhook>> ListWebhooksAsync();

    /// <summary>Returns one webhook, or throws <see cref="MeshFlowNotFoundException"/>.</summary>
    [Alias("get")]
    [ReadOnly]
    Task<Webhook> GetWebhookAsync(string webhookId);

    /// <summary>Removes one webhook and returns it, or throws <see cref="MeshFlowNotFoundException"/>.</summary>
    [Alias("remove")]
    Task<Webhook> RemoveWebhookAsync(string webhookId);

    /// <summary>Enables or disables one webhook and returns it, or throws <see cref="MeshFlowNotFoundException"/>.</summary>
    [Alias("set-enabled")]
    Task<Webhook> SetWebhookEnabledAsync(string webhookId, bool enabled);
}
