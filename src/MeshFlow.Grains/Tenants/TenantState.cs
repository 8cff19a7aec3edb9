namespace MeshFlow.Grains.Tenants;

/// <summary>
/// The stored webhook registry of one tenant.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.state.tenant")]
public sealed class TenantState
{
    /// <summary>Gets or sets the webhooks, oldest first.</summary>
    [Id(0)]
    public List<WebhookEntry> Webhooks { get; set; } = [];
}
