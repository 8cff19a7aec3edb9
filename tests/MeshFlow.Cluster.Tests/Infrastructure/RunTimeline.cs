namespace MeshFlow.Cluster.Tests.Infrastructure;

/// <summary>
/// When each step of a cluster run happened, measured on one stopwatch in the test process from the start of the
/// run. A step that did not happen within its wait stays null.
/// </summary>
public sealed class RunTimeline
{
    /// <summary>Every silo had logged its ready line.</summary>
    public TimeSpan ClusterReadyAt { get; set; }

    /// <summary>The first publish call started.</summary>
    public TimeSpan BurstStartedAt { get; set; }

    /// <summary>The test sent SIGKILL to the silo.</summary>
    public TimeSpan KilledAt { get; set; }

    /// <summary>The last publish call of the burst returned its delivery ids.</summary>
    public TimeSpan LastAcceptedAt { get; set; }

    /// <summary>The membership table first showed the killed silo's row as dead.</summary>
    public TimeSpan? MarkedDeadAt { get; set; }

    /// <summary>The test started the killed silo again.</summary>
    public TimeSpan RestartedAt { get; set; }

    /// <summary>The restarted silo logged its ready line.</summary>
    public TimeSpan RestartReadyAt { get; set; }

    /// <summary>The last accepted delivery reached the receiver for the first time.</summary>
    public TimeSpan? AllReceivedAt { get; set; }

    /// <summary>Every accepted delivery was first read as succeeded.</summary>
    public TimeSpan? AllSucceededAt { get; set; }
}
