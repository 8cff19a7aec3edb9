namespace MeshFlow.Grains.Delivery;

/// <summary>
/// Sends one signed webhook request and reports what happened, without throwing for expected failures.
/// </summary>
public interface IWebhookSender
{
    /// <summary>Sends <paramref name="message"/> once, bounded by the configured attempt timeout.</summary>
    Task<AttemptOutcome> SendAsync(WebhookMessage message, CancellationToken cancellationToken);
}
