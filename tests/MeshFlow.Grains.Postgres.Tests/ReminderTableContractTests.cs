using MeshFlow.Grains.Postgres.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Grains.Postgres.Tests;

public sealed class ReminderTableContractTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly DateTime StartAt = new(2030, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    [Fact]
    public async Task UpsertRow_ThenReadRow_RoundTripsEntry()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainId = NewGrainId("one");

        var etag = await table.UpsertRow(Entry(grainId, "retry", TimeSpan.FromMinutes(1)));
        var read = await table.ReadRow(grainId, "retry");

        Assert.NotNull(read);
        Assert.Equal(grainId, read.GrainId);
        Assert.Equal("retry", read.ReminderName);
        Assert.Equal(StartAt, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), read.Period);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task UpsertRow_PeriodAboveInt32Milliseconds_RoundTrips()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainId = NewGrainId("long-period");
        var period = TimeSpan.FromDays(30);

        await table.UpsertRow(Entry(grainId, "monthly", period));
        var read = await table.ReadRow(grainId, "monthly");

        Assert.True(period.TotalMilliseconds > int.MaxValue);
        Assert.Equal(period, read?.Period);
    }

    [Fact]
    public async Task UpsertRow_ExistingReminder_ChangesETag()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainId = NewGrainId("replace");
        var first = await table.UpsertRow(Entry(grainId, "retry", TimeSpan.FromMinutes(1)));

        var second = await table.UpsertRow(Entry(grainId, "retry", TimeSpan.FromMinutes(5)));
        var rows = await table.ReadRows(grainId);

        Assert.NotEqual(first, second);
        var row = Assert.Single(rows.Reminders);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(second, row.ETag);
    }

    [Fact]
    public async Task ReadRow_Missing_ReturnsNull()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;

        var read = await table.ReadRow(NewGrainId("absent"), "none");

        Assert.Null(read);
    }

    [Fact]
    public async Task ReadRows_ForGrain_ReturnsItsReminders()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainId = NewGrainId("mine");
        await table.UpsertRow(Entry(grainId, "a", TimeSpan.FromMinutes(1)));
        await table.UpsertRow(Entry(grainId, "b", TimeSpan.FromMinutes(2)));
        await table.UpsertRow(Entry(NewGrainId("other"), "a", TimeSpan.FromMinutes(1)));

        var rows = await table.ReadRows(grainId);

        Assert.Equal(["a", "b"], rows.Reminders.Select(row => row.ReminderName).Order(StringComparer.Ordinal));
        Assert.All(rows.Reminders, row => Assert.Equal(grainId, row.GrainId));
    }

    [Fact]
    public async Task ReadRows_RangeWithoutWrap_ReturnsInside()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainIds = await UpsertManyAsync(table, 64);
        // The range crosses 2^31, where a signed comparison of the hashes would go wrong.
        const uint begin = 0x60000000;
        const uint end = 0xA0000000;

        var rows = await table.ReadRows(begin, end);

        var expected = grainIds.Where(id => id.GetUniformHashCode() > begin && id.GetUniformHashCode() <= end);
        Assert.NotEmpty(expected);
        Assert.Equal(Sorted(expected), Sorted(rows.Reminders.Select(row => row.GrainId)));
    }

    [Fact]
    public async Task ReadRows_WrapAroundRange_ReturnsBothEnds()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainIds = await UpsertManyAsync(table, 64);
        const uint begin = 0xC0000000;
        const uint end = 0x40000000;

        var rows = await table.ReadRows(begin, end);

        var expected = grainIds.Where(id => id.GetUniformHashCode() > begin || id.GetUniformHashCode() <= end);
        Assert.NotEmpty(expected);
        Assert.Equal(Sorted(expected), Sorted(rows.Reminders.Select(row => row.GrainId)));
    }

    [Fact]
    public async Task ReadRows_RangeBounds_ExcludeBeginIncludeEnd()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var byHash = (await UpsertManyAsync(table, 8)).OrderBy(id => id.GetUniformHashCode()).ToArray();
        var begin = byHash[2].GetUniformHashCode();
        var end = byHash[5].GetUniformHashCode();

        var rows = await table.ReadRows(begin, end);

        Assert.Equal(Sorted(byHash[3..6]), Sorted(rows.Reminders.Select(row => row.GrainId)));
    }

    [Fact]
    public async Task RemoveRow_CurrentETag_DeletesReminder()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainId = NewGrainId("remove");
        var etag = await table.UpsertRow(Entry(grainId, "retry", TimeSpan.FromMinutes(1)));

        var removed = await table.RemoveRow(grainId, "retry", etag!);

        Assert.True(removed);
        Assert.Null(await table.ReadRow(grainId, "retry"));
    }

    [Fact]
    public async Task RemoveRow_StaleETag_KeepsReminder()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var grainId = NewGrainId("stale");
        var stale = await table.UpsertRow(Entry(grainId, "retry", TimeSpan.FromMinutes(1)));
        var current = await table.UpsertRow(Entry(grainId, "retry", TimeSpan.FromMinutes(2)));

        var removed = await table.RemoveRow(grainId, "retry", stale!);

        Assert.False(removed);
        Assert.Equal(current, (await table.ReadRow(grainId, "retry"))?.ETag);
    }

    [Fact]
    public async Task TestOnlyClearTable_DeletesOnlyThisServicesReminders()
    {
        var (services, table) = await CreateTableAsync();
        await using var _ = services;
        var (otherServices, otherTable) = await CreateTableAsync();
        await using var __ = otherServices;
        var grainId = NewGrainId("clear");
        await table.UpsertRow(Entry(grainId, "a", TimeSpan.FromMinutes(1)));
        await table.UpsertRow(Entry(grainId, "b", TimeSpan.FromMinutes(1)));
        await otherTable.UpsertRow(Entry(grainId, "a", TimeSpan.FromMinutes(1)));

        await table.TestOnlyClearTable();

        Assert.Empty((await table.ReadRows(grainId)).Reminders);
        Assert.Single((await otherTable.ReadRows(grainId)).Reminders);
    }

    private Task<(ServiceProvider Services, IReminderTable Table)> CreateTableAsync() =>
        StandaloneProviders.CreateReminderTableAsync(fixture.ConnectionString, "reminders-" + Guid.NewGuid().ToString("N"));

    private static async Task<List<GrainId>> UpsertManyAsync(IReminderTable table, int count)
    {
        var grainIds = Enumerable.Range(0, count).Select(i => NewGrainId("range-" + i)).ToList();
        foreach (var grainId in grainIds)
        {
            await table.UpsertRow(Entry(grainId, "tick", TimeSpan.FromMinutes(1)));
        }

        return grainIds;
    }

    private static ReminderEntry Entry(GrainId grainId, string name, TimeSpan period) => new()
    {
        GrainId = grainId,
        ReminderName = name,
        StartAt = StartAt,
        Period = period,
    };

    private static GrainId NewGrainId(string label) =>
        GrainId.Create("reminder-test", $"{label}/{Guid.NewGuid():N}");

    private static string[] Sorted(IEnumerable<GrainId> grainIds) =>
        grainIds.Select(id => id.ToString()).Order(StringComparer.Ordinal).ToArray();
}
