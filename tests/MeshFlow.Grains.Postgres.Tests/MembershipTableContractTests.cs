using System.Net;
using MeshFlow.Grains.Postgres.Tests.Infrastructure;
using Orleans.Runtime.MembershipService;

namespace MeshFlow.Grains.Postgres.Tests;

public sealed class MembershipTableContractTests(MigratedDatabaseFixture fixture)
    : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly DateTime StartTime = new(2030, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc);

    [Fact]
    public async Task ReadAll_NewCluster_ReturnsNoMembers()
    {
        var table = await CreateTableAsync();

        var data = await table.ReadAllAsync(CancellationToken.None);

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task InsertRow_CurrentVersion_AddsMember()
    {
        var table = await CreateTableAsync();
        var entry = Entry(1, SiloStatus.Joining);
        var before = await table.ReadAllAsync(CancellationToken.None);

        var inserted = await table.InsertRowAsync(entry, before.Version.Next(), CancellationToken.None);
        var after = await table.ReadAllAsync(CancellationToken.None);

        Assert.True(inserted);
        Assert.Equal(before.Version.Version + 1, after.Version.Version);
        var (stored, _) = Assert.Single(after.Members);
        Assert.Equal(entry.SiloAddress, stored.SiloAddress);
        Assert.Equal(entry.SiloName, stored.SiloName);
        Assert.Equal(entry.HostName, stored.HostName);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(entry.ProxyPort, stored.ProxyPort);
        Assert.Equal(StartTime, stored.StartTime);
        Assert.Equal(StartTime, stored.IAmAliveTime);
    }

    [Fact]
    public async Task InsertRow_StaleVersion_AddsNothing()
    {
        var table = await CreateTableAsync();
        var stale = (await table.ReadAllAsync(CancellationToken.None)).Version;
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active), stale.Next(), CancellationToken.None));

        var inserted = await table.InsertRowAsync(Entry(2, SiloStatus.Active), stale.Next(), CancellationToken.None);

        Assert.False(inserted);
        var data = await table.ReadAllAsync(CancellationToken.None);
        Assert.Single(data.Members);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task InsertRow_SameSiloTwice_ReturnsFalse()
    {
        var table = await CreateTableAsync();
        var entry = Entry(1, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var current = (await table.ReadAllAsync(CancellationToken.None)).Version;

        var inserted = await table.InsertRowAsync(entry, current.Next(), CancellationToken.None);

        Assert.False(inserted);
        Assert.Equal(current.Version, (await table.ReadAllAsync(CancellationToken.None)).Version.Version);
    }

    [Fact]
    public async Task UpdateRow_CurrentVersion_ChangesStatusAndSuspicions()
    {
        var table = await CreateTableAsync();
        var entry = Entry(1, SiloStatus.Joining);
        var suspector = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 21000), 7);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var (_, etag) = (await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None)).Members.Single();
        var version = (await table.ReadAllAsync(CancellationToken.None)).Version;
        entry.Status = SiloStatus.Active;
        entry.AddSuspector(suspector, StartTime.AddSeconds(5));

        var updated = await table.UpdateRowAsync(entry, etag, version.Next(), CancellationToken.None);
        var row = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);

        Assert.True(updated);
        Assert.Equal(version.Version + 1, row.Version.Version);
        var (stored, _) = Assert.Single(row.Members);
        Assert.Equal(SiloStatus.Active, stored.Status);
        var (suspectingSilo, time) = Assert.Single(stored.SuspectTimes ?? []);
        Assert.Equal(suspector, suspectingSilo);
        Assert.Equal(StartTime.AddSeconds(5), time);
    }

    [Fact]
    public async Task UpdateRow_StaleVersion_KeepsRow()
    {
        var table = await CreateTableAsync();
        var entry = Entry(1, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var (_, etag) = (await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None)).Members.Single();
        var stale = (await table.ReadAllAsync(CancellationToken.None)).Version;
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(entry, etag, stale.Next(), CancellationToken.None));
        entry.Status = SiloStatus.Dead;

        var updated = await table.UpdateRowAsync(entry, etag, stale.Next(), CancellationToken.None);

        Assert.False(updated);
        var (stored, _) = (await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None)).Members.Single();
        Assert.Equal(SiloStatus.Active, stored.Status);
    }

    [Fact]
    public async Task ReadRow_OtherSilo_ReturnsVersionWithoutMembers()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));

        var row = await table.ReadRowAsync(Entry(2, SiloStatus.Active).SiloAddress, CancellationToken.None);

        Assert.Empty(row.Members);
        Assert.Equal(1, row.Version.Version);
    }

    [Fact]
    public async Task ReadAll_TwoSilos_ReturnsBoth()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        Assert.True(await table.InsertRowAsync(Entry(2, SiloStatus.Active), (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));

        var data = await table.ReadAllAsync(CancellationToken.None);

        Assert.Equal(2, data.Members.Count);
        Assert.Equal(2, data.Version.Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesHeartbeatAndKeepsVersion()
    {
        var table = await CreateTableAsync();
        var entry = Entry(1, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var versionBefore = (await table.ReadAllAsync(CancellationToken.None)).Version.Version;
        entry.IAmAliveTime = StartTime.AddMinutes(3);

        await table.UpdateIAmAliveAsync(entry, CancellationToken.None);
        var row = await table.ReadRowAsync(entry.SiloAddress, CancellationToken.None);

        var (stored, _) = Assert.Single(row.Members);
        Assert.Equal(StartTime.AddMinutes(3), stored.IAmAliveTime);
        Assert.Equal(versionBefore, row.Version.Version);
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_StaleInactiveSilo_IsRemoved()
    {
        var table = await CreateTableAsync();
        var staleDead = Entry(1, SiloStatus.Dead);
        var staleActive = Entry(2, SiloStatus.Active);
        var recentDead = Entry(3, SiloStatus.Dead);
        recentDead.IAmAliveTime = StartTime.AddHours(2);
        foreach (var entry in new[] { staleDead, staleActive, recentDead })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        }

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(StartTime.AddHours(1)), CancellationToken.None);
        var data = await table.ReadAllAsync(CancellationToken.None);

        var remaining = data.Members.Select(member => member.Item1.SiloAddress).ToHashSet();
        Assert.DoesNotContain(staleDead.SiloAddress, remaining);
        Assert.Contains(staleActive.SiloAddress, remaining);
        Assert.Contains(recentDead.SiloAddress, remaining);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesOnlyThatCluster()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        var other = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(Entry(1, SiloStatus.Active), (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        Assert.True(await other.InsertRowAsync(Entry(1, SiloStatus.Active), (await other.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));

        await table.DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

        Assert.Equal(
            0L,
            await fixture.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM meshflow_membership WHERE deployment_id = '{clusterId}'"));
        Assert.Equal(
            0L,
            await fixture.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM meshflow_membership_version WHERE deployment_id = '{clusterId}'"));
        Assert.Single((await other.ReadAllAsync(CancellationToken.None)).Members);
    }

    [Fact]
    public async Task GetGateways_ReturnsActiveSilosWithGatewayPort()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        var active = Entry(1, SiloStatus.Active);
        var joining = Entry(2, SiloStatus.Joining);
        var noGateway = Entry(3, SiloStatus.Active);
        noGateway.ProxyPort = 0;
        foreach (var entry in new[] { active, joining, noGateway })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        }

        var gateways = StandaloneProviders.CreateGatewayListProvider(fixture.ConnectionString, clusterId);
        await gateways.InitializeGatewayListProviderAsync(CancellationToken.None);
        var uris = await gateways.GetGatewaysAsync(CancellationToken.None);

        var gateway = Assert.Single(uris);
        Assert.Equal(active.ProxyPort, gateway.Port);
        Assert.Equal("127.0.0.1", gateway.Host);
    }

    private async Task<AdoNetClusteringTable> CreateTableAsync(string? clusterId = null)
    {
        var table = StandaloneProviders.CreateMembershipTable(fixture.ConnectionString, clusterId ?? NewClusterId());
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        return table;
    }

    private static string NewClusterId() => "cluster-" + Guid.NewGuid().ToString("N");

    /// <summary>A silo on 127.0.0.1 whose port and generation derive from <paramref name="number"/>.</summary>
    private static MembershipEntry Entry(int number, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + number), 1000 + number),
        Status = status,
        SiloName = "silo-" + number,
        HostName = "host-" + number,
        ProxyPort = 30000 + number,
        StartTime = StartTime,
        IAmAliveTime = StartTime,
        SuspectTimes = [],
    };
}
