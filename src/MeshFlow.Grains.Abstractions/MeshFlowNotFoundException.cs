namespace MeshFlow.Grains;

/// <summary>
/// Thrown when a webhook or delivery id does not exist for the tenant asked about.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.not-found")]
public sealed class MeshFlowNotFoundException : Exception
{
    public MeshFlowNotFoundException()
    {
    }

    public MeshFlowNotFoundException(string message)
        : base(message)
    {
    }

    public MeshFlowNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
