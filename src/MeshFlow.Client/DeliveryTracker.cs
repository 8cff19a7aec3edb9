using MeshFlow.Grains;

namespace MeshFlow.Client;

/// <summary>
/// Reads the status and attempts of one delivery from its <see cref="IDeliveryGrain"/>.
/// </summary>
public sealed class DeliveryTracker
{
    private readonly IGrainFactory grainFactory;

    public DeliveryTracker(IGrainFactory grainFactory)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        this.grainFactory = grainFactory;
    }

    /// <summary>
    /// Returns the delivery's status and every attempt so far, or throws <see cref="MeshFlowNotFoundException"/>
    /// when the delivery does not exist for <paramref name="tenantId"/>. It returns while an attempt is
    /// in flight. A cancellation token stops waiting for the grain's response.
    /// </summary>
    public async Task<DeliveryInfo> GetAsync(
        string tenantId,
        string deliveryId,
        CancellationToken cancellationToken = default)
    {
        Validation.TenantId(tenantId);
        var delivery = grainFactory.GetGrain<IDeliveryGrain>(GrainKeys.Delivery(deliveryId));
        return await delivery.GetAsync(tenantId).WaitAsync(cancellationToken);
    }
}
