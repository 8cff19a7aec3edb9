namespace MeshFlow.Client;

/// <summary>
/// Thrown when the client cannot reach any MeshFlow gateway, or cannot reach one before the connect deadline.
/// </summary>
public sealed class MeshFlowConnectionException : Exception
{
    public MeshFlowConnectionException()
    {
    }

    public MeshFlowConnectionException(string message)
        : base(message)
    {
    }

    public MeshFlowConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the given gateway addresses.</summary>
    public MeshFlowConnectionException(string message, IReadOnlyList<string> gateways, Exception? innerException = null)
        : base(message, innerException)
    {
        Gateways = gateways;
    }

    /// <summary>The gateway addresses that were tried, as <c>host:port</c> strings.</summary>
    public IReadOnlyList<string> Gateways { get; } = [];
}
