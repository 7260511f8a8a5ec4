namespace Galaxy.Cluster.Tests;

/// <summary>One two-silo galaxy, shared by the test classes that only read or add state.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<GalaxyTestCluster>
{
    public const string Name = "galaxy cluster";
}
