namespace MeshFlow.Grains;

/// <summary>
/// Names of the headers on every webhook request.
/// </summary>
public static class WebhookHeaders
{
    /// <summary>The event type, when the delivery has one.</summary>
    public const string Event = "X-MeshFlow-Event";

    /// <summary>The delivery id, the same on every retry, for receivers to de-duplicate on.</summary>
    public const string Delivery = "X-MeshFlow-Delivery";

    /// <summary>The signature, <c>sha256=&lt;hex&gt;</c>.</summary>
    public const string Signature = WebhookSignature.HeaderName;
}
