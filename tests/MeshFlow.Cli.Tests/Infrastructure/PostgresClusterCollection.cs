namespace MeshFlow.Cli.Tests.Infrastructure;

/// <summary>Test classes in this collection share one <see cref="PostgresCluster"/> and its database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "MeshFlow cluster on PostgreSQL";
}
