using Microsoft.Extensions.Logging;

namespace MeshFlow.Silo;

/// <summary>
/// Start and stop messages of the silo host.
/// </summary>
internal static partial class SiloLog
{
    [LoggerMessage(EventId = 1, EventName = "SiloReady", Level = LogLevel.Information,
        Message = "MeshFlow silo ready: cluster {ClusterId}, silo {SiloEndpoint}, gateway {GatewayEndpoint}, "
            + "storage {Storage}. Press Ctrl+C to stop.")]
    public static partial void Ready(
        ILogger logger,
        string clusterId,
        string siloEndpoint,
        string gatewayEndpoint,
        string storage);

    [LoggerMessage(EventId = 2, EventName = "SiloStopped", Level = LogLevel.Information,
        Message = "MeshFlow silo stopped: cluster {ClusterId}")]
    public static partial void Stopped(ILogger logger, string clusterId);
}
