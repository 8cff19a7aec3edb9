using Microsoft.Extensions.Logging;

namespace MeshFlow.Client;

public sealed partial class MeshFlowClientHost
{
    [LoggerMessage(
        EventId = 1,
        EventName = "ClientConnected",
        Level = LogLevel.Information,
        Message = "Connected to MeshFlow gateways {Gateways} of cluster {ClusterId}")]
    private static partial void LogConnected(ILogger logger, IReadOnlyList<string> gateways, string clusterId);

    [LoggerMessage(
        EventId = 2,
        EventName = "ClientStopFailed",
        Level = LogLevel.Warning,
        Message = "Closing the MeshFlow client did not finish cleanly; the host is disposed anyway")]
    private static partial void LogStopFailed(ILogger logger, Exception exception);
}
