namespace MeshFlow.Grains;

/// <summary>
/// Everything a delivery grain needs to send one signed request and retry it.
/// </summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="WebhookId">The webhook it goes to, or null for an ad-hoc send.</param>
/// <param name="Url">The receiving URL.</param>
/// <param name="Secret">The signing key; kept only until the delivery finishes.</param>
/// <param name="EventType">Sent as <c>X-MeshFlow-Event</c>, or null to omit the header.</param>
/// <param name="EventId">The published event id, or null for an ad-hoc send.</param>
/// <param name="Body">The exact UTF-8 JSON bytes to sign and send.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.delivery-request")]
public sealed record DeliveryRequest(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string? WebhookId,
    [property: Id(2)] string Url,
    [property: Id(3)] string Secret,
    [property: Id(4)] string? EventType,
    [property: Id(5)] string? EventId,
    [property: Id(6)] byte[] Body)
{
    /// <summary>Hides the secret and the body from logs and debugger views.</summary>
    public override string ToString() =>
        $"DeliveryRequest {{ TenantId = {TenantId}, WebhookId = {WebhookId}, Url = {Url}, EventType = {EventType} }}";
}
