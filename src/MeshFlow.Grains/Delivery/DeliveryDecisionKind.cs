namespace MeshFlow.Grains.Delivery;

/// <summary>
/// What a delivery does after an attempt.
/// </summary>
public enum DeliveryDecisionKind
{
    /// <summary>The receiver took the event; the delivery is done.</summary>
    Succeeded,

    /// <summary>The receiver responded with 410 Gone, so the delivery fails and its webhook is disabled.</summary>
    Gone,

    /// <summary>The attempt failed and retries remain; try again after the delay.</summary>
    Retry,

    /// <summary>The attempt failed and no retry remains.</summary>
    Exhausted,
}
