namespace MeshFlow.Grains.Delivery;

/// <summary>
/// One signed POST to send.
/// </summary>
/// <param name="DeliveryId">Sent as <c>X-MeshFlow-Delivery</c>, the same on every retry.</param>
/// <param name="Url">The receiving URL.</param>
/// <param name="EventType">Sent as <c>X-MeshFlow-Event</c>, or null to omit that header.</param>
/// <param name="Body">The exact UTF-8 JSON bytes to sign and send.</param>
/// <param name="Secret">The signing key.</param>
public sealed record WebhookMessage(string DeliveryId, Uri Url, string? EventType, ReadOnlyMemory<byte> Body, string Secret)
{
    /// <summary>Hides the secret and the body from logs and debugger views.</summary>
    public override string ToString() => $"WebhookMessage {{ DeliveryId = {DeliveryId}, Url = {Url} }}";
}
