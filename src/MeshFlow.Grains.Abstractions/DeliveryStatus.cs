namespace MeshFlow.Grains;

/// <summary>
/// Where a delivery stands.
/// </summary>
public enum DeliveryStatus
{
    /// <summary>Accepted and not finished: an attempt is due or running.</summary>
    Pending = 0,

    /// <summary>A receiver answered 2xx.</summary>
    Succeeded = 1,

    /// <summary>The receiver answered 410 Gone or the retries ran out.</summary>
    Failed = 2,
}
