namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>Test classes in this collection share one <see cref="MeshFlowCluster"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<MeshFlowCluster>
{
    public const string Name = "MeshFlow cluster";
}
