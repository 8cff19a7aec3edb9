namespace MeshFlow.Grains;

/// <summary>
/// Thrown when a request carries an invalid value; the message names the value and how to fix it.
/// </summary>
[GenerateSerializer]
[Alias("meshflow.validation-error")]
public sealed class MeshFlowValidationException : Exception
{
    public MeshFlowValidationException()
    {
    }

    public MeshFlowValidationException(string message)
        : base(message)
    {
    }

    public MeshFlowValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
