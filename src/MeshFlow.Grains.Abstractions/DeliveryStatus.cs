namespace MeshFlow.Grains;

/// <summary>
/// The state of a delivery.
/// </summary>
public enum DeliveryStatus
{
    /// <summary>Accepted and not finished: an attempt is due or running.</summary>
    Pending = 0,

    /// <summary>The receiver responded with a 2xx status.</summary>
    Succeeded = 1,

    /// <summary>The receiver responded with 410 Gone, or the retries ran out.</summary>
    Failed = 2,
}
