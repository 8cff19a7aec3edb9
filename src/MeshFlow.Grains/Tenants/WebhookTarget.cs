namespace MeshFlow.Grains.Tenants;

/// <summary>
/// A webhook that an event goes to, with the secret to sign it; passed only between grains.
/// </summary>
/// <param name="WebhookId">The webhook id.</param>
/// <param name="Url">The receiving URL.</param>
/// <param name="Secret">The signing key.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.webhook-target")]
public sealed record WebhookTarget(
    [property: Id(0)] string WebhookId,
    [property: Id(1)] string Url,
    [property: Id(2)] string Secret)
{
    /// <summary>Hides the secret from logs and debugger views.</summary>
    public override string ToString() => $"WebhookTarget {{ WebhookId = {WebhookId}, Url = {Url} }}";
}
