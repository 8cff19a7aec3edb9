namespace MeshFlow.Cluster.Tests;

/// <summary>
/// Tests that start several silo processes. They run one at a time and never beside other tests of this assembly,
/// because each one loads the machine and measures timings.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterTestCollection
{
    public const string Name = "Silo processes";
}
