using MeshFlow.Grains.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MeshFlow.Grains.Postgres.Tests;

public sealed class StateIsolationTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private IGrainStorage Storage =>
        fixture.Cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Store);

    [Fact]
    public async Task TenantKeys_CaseAndHexLookalikes_StayDistinct()
    {
        string[] tenantIds = ["abc", "ABC", "0abc", "cafe", "123"];
        var keys = tenantIds.Select(GrainKeys.Tenant).ToArray();

        foreach (var key in keys)
        {
            var state = new GrainState<StoredText>(new StoredText { Text = "state of " + key });
            await Storage.WriteStateAsync(StorageNames.TenantState, TenantGrainId(key), state);
        }

        foreach (var key in keys)
        {
            var read = new GrainState<StoredText>();
            await Storage.ReadStateAsync(StorageNames.TenantState, TenantGrainId(key), read);
            Assert.Equal("state of " + key, read.State?.Text);
        }

        var rows = await fixture.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM meshflow_grain_state WHERE grain_type = '{StorageNames.TenantState}' "
            + "AND grain_id_extension LIKE 'tenant/%'");
        Assert.Equal(keys.Length, rows);
    }

    [Fact]
    public async Task SameKey_TwoStateNames_StayDistinct()
    {
        const string key = "tenant/shared-key";
        var tenantState = new GrainState<StoredText>(new StoredText { Text = "tenant" });
        var eventState = new GrainState<StoredText>(new StoredText { Text = "event" });

        await Storage.WriteStateAsync(StorageNames.TenantState, GrainId.Create("tenant", key), tenantState);
        await Storage.WriteStateAsync(StorageNames.EventState, GrainId.Create("event", key), eventState);
        var tenantRead = new GrainState<StoredText>();
        var eventRead = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StorageNames.TenantState, GrainId.Create("tenant", key), tenantRead);
        await Storage.ReadStateAsync(StorageNames.EventState, GrainId.Create("event", key), eventRead);

        Assert.Equal("tenant", tenantRead.State?.Text);
        Assert.Equal("event", eventRead.State?.Text);
    }

    [Fact]
    public async Task UnprefixedHexKeys_ShareOneRow()
    {
        // Orleans reads a string key of up to 16 hex digits as an integer, so "abc", "ABC" and "0abc" name the
        // same row. GrainKeys.Tenant adds "tenant/" so real tenant ids never reach storage in this form.
        const string stateName = "unprefixed-key-demo";
        var written = new GrainState<StoredText>(new StoredText { Text = "written as abc" });

        await Storage.WriteStateAsync(stateName, GrainId.Create("tenant", "abc"), written);
        var upper = new GrainState<StoredText>();
        var zeroPadded = new GrainState<StoredText>();
        await Storage.ReadStateAsync(stateName, GrainId.Create("tenant", "ABC"), upper);
        await Storage.ReadStateAsync(stateName, GrainId.Create("tenant", "0abc"), zeroPadded);

        Assert.Equal("written as abc", upper.State?.Text);
        Assert.Equal("written as abc", zeroPadded.State?.Text);
    }

    private static GrainId TenantGrainId(string key) => GrainId.Create("tenant", key);
}
