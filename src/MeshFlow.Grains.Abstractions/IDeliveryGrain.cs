using Orleans.Concurrency;

namespace MeshFlow.Grains;

/// <summary>
/// One signed request and its retries. Key: <see cref="GrainKeys.Delivery"/>.
/// </summary>
[Alias("meshflow.IDeliveryGrain")]
public interface IDeliveryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Persists the delivery and its durable wake-up, then returns; the first attempt follows at once. Calling it
    /// again for an accepted delivery returns the stored status and changes nothing.
    /// </summary>
    [Alias("accept")]
    Task<DeliveryInfo> AcceptAsync(DeliveryRequest request);

    /// <summary>
    /// Returns the status of the delivery, or throws <see cref="MeshFlowNotFoundException"/> when it does not
    /// exist for <paramref name="tenantId"/>. Returns even while an attempt is in flight.
    /// </summary>
    [Alias("get")]
    [AlwaysInterleave]
    Task<DeliveryInfo> GetAsync(string tenantId);
}
