using MeshFlow.Grains.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace MeshFlow.Grains.Postgres.Tests;

public sealed class GrainStorageContractTests(PostgresClusterFixture fixture) : IClassFixture<PostgresClusterFixture>
{
    private const string StateName = "storage-contract";

    private IGrainStorage Storage =>
        fixture.Cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Store);

    [Fact]
    public async Task ReadStateAsync_NeverWritten_ReturnsNoRecord()
    {
        var grainId = NewGrainId();
        var state = new GrainState<StoredText>();

        await Storage.ReadStateAsync(StateName, grainId, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal("", state.State?.Text);
    }

    [Fact]
    public async Task WriteStateAsync_ThenRead_RoundTripsState()
    {
        var grainId = NewGrainId();
        var written = new GrainState<StoredText>(new StoredText { Text = "first" });

        await Storage.WriteStateAsync(StateName, grainId, written);
        written.State = new StoredText { Text = "second" };
        await Storage.WriteStateAsync(StateName, grainId, written);
        var read = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StateName, grainId, read);

        Assert.True(read.RecordExists);
        Assert.Equal("second", read.State?.Text);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotNull(read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_StoresJsonPayload()
    {
        var grainId = NewGrainId();

        await Storage.WriteStateAsync(StateName, grainId, new GrainState<StoredText>(new StoredText { Text = "json" }));

        var payload = await fixture.Database.ScalarAsync<byte[]>(
            $"SELECT payload FROM meshflow_grain_state WHERE grain_type = '{StateName}' "
            + $"AND grain_id_extension = '{grainId.Key}'");
        Assert.Equal("{\"text\":\"json\"}", System.Text.Encoding.UTF8.GetString(payload!));
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsConflict()
    {
        var grainId = NewGrainId();
        var first = new GrainState<StoredText>(new StoredText { Text = "v1" });
        await Storage.WriteStateAsync(StateName, grainId, first);
        var stale = new GrainState<StoredText>(new StoredText { Text = "stale" }) { ETag = first.ETag };
        first.State = new StoredText { Text = "v2" };
        await Storage.WriteStateAsync(StateName, grainId, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, stale));

        var read = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("v2", read.State?.Text);
    }

    [Fact]
    public async Task WriteStateAsync_RowExistsOnFirstWrite_ThrowsConflict()
    {
        var grainId = NewGrainId();
        await Storage.WriteStateAsync(StateName, grainId, new GrainState<StoredText>(new StoredText { Text = "winner" }));
        var unaware = new GrainState<StoredText>(new StoredText { Text = "loser" });

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, unaware));

        var read = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("winner", read.State?.Text);
    }

    [Fact]
    public async Task ClearStateAsync_ThenRead_ReturnsNoRecord()
    {
        var grainId = NewGrainId();
        var state = new GrainState<StoredText>(new StoredText { Text = "to clear" });
        await Storage.WriteStateAsync(StateName, grainId, state);

        await Storage.ClearStateAsync(StateName, grainId, state);
        var read = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StateName, grainId, read);

        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
        Assert.Equal("", read.State?.Text);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_AfterClear_StoresNewState()
    {
        var grainId = NewGrainId();
        var state = new GrainState<StoredText>(new StoredText { Text = "old" });
        await Storage.WriteStateAsync(StateName, grainId, state);
        await Storage.ClearStateAsync(StateName, grainId, state);

        state.State = new StoredText { Text = "new" };
        await Storage.WriteStateAsync(StateName, grainId, state);
        var read = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StateName, grainId, read);

        Assert.True(read.RecordExists);
        Assert.Equal("new", read.State?.Text);
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsConflict()
    {
        var grainId = NewGrainId();
        var state = new GrainState<StoredText>(new StoredText { Text = "v1" });
        await Storage.WriteStateAsync(StateName, grainId, state);
        var stale = new GrainState<StoredText> { ETag = state.ETag };
        await Storage.WriteStateAsync(StateName, grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, grainId, stale));

        var read = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("v1", read.State?.Text);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task ClearStateAsync_NeverWritten_AllowsLaterWrite()
    {
        var grainId = NewGrainId();
        var state = new GrainState<StoredText>();

        await Storage.ClearStateAsync(StateName, grainId, state);
        state.State = new StoredText { Text = "after clear" };
        await Storage.WriteStateAsync(StateName, grainId, state);
        var read = new GrainState<StoredText>();
        await Storage.ReadStateAsync(StateName, grainId, read);

        Assert.Equal("after clear", read.State?.Text);
    }

    private static GrainId NewGrainId() => GrainId.Create("storage-test", "item/" + Guid.NewGuid().ToString("N"));
}
