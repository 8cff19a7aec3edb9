using Orleans.Concurrency;

namespace MeshFlow.Grains.Tenants;

/// <summary>
/// The grain-to-grain side of a tenant registry. It hands out secrets, so it lives in the grains assembly, out of
/// the client's reach. Key: <see cref="GrainKeys.Tenant"/>.
/// </summary>
[Alias("meshflow.IWebhookRoutingGrain")]
public interface IWebhookRoutingGrain : IGrainWithStringKey
{
    /// <summary>Returns every enabled webhook subscribed to <paramref name="eventType"/>.</summary>
    [Alias("targets")]
    [ReadOnly]
    Task<IReadOnlyList<WebhookTarget>> GetTargetsAsync(string eventType);

    /// <summary>Disables a webhook whose receiver responded with 410 Gone; an unknown id is ignored.</summary>
    [Alias("disable-gone")]
    Task DisableGoneAsync(string webhookId, string reason);
}
