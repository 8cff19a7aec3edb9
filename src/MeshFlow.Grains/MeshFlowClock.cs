namespace MeshFlow.Grains;

/// <summary>
/// The service key of the <see cref="TimeProvider"/> that the grains read. It is separate from the clocks Orleans
/// itself uses, so tests can drive delivery scheduling with a fake clock without faking the whole runtime.
/// </summary>
public static class MeshFlowClock
{
    /// <summary>The keyed-service key of the application clock.</summary>
    public const string ServiceKey = "MeshFlow.Clock";
}
