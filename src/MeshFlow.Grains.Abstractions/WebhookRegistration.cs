namespace MeshFlow.Grains;

/// <summary>
/// A request to register a webhook for a tenant.
/// </summary>
/// <param name="Url">The absolute http or https URL that receives signed POST requests.</param>
/// <param name="Secret">The HMAC-SHA256 key, stored by the service and never returned.</param>
/// <param name="Events">Event types to deliver, or '*' for all of them.</param>
/// <param name="Description">Optional text for operators.</param>
[GenerateSerializer]
[Immutable]
[Alias("meshflow.webhook-registration")]
public sealed record WebhookRegistration(
    [property: Id(0)] string Url,
    [property: Id(1)] string Secret,
    [property: Id(2)] IReadOnlyList<string> Events,
    [property: Id(3)] string? Description = null)
{
    /// <summary>Hides the secret from logs and debugger views.</summary>
    public override string ToString() =>
        $"WebhookRegistration {{ Url = {Url}, Events = [{string.Join(", ", Events)}], Description = {Description} }}";
}
