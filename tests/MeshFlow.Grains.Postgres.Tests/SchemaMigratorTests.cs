using Npgsql;

namespace MeshFlow.Grains.Postgres.Tests;

public sealed class SchemaMigratorTests
{
    private static readonly string[] AllQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public void RequiredVersion_EmbeddedScripts_EqualsHighestScriptNumber()
    {
        var scripts = SchemaMigrator.Scripts;

        Assert.Equal(SchemaMigrator.RequiredVersion, scripts[^1].Version);
        Assert.Equal(Enumerable.Range(1, SchemaMigrator.RequiredVersion), scripts.Select(script => script.Version));
    }

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesAllInOrder()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var report = await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, SchemaMigrator.RequiredVersion), report.Applied.Select(script => script.Version));
        Assert.Empty(report.AlreadyPresent);
        Assert.Equal(SchemaMigrator.RequiredVersion, report.CurrentVersion);
    }

    [Fact]
    public async Task MigrateAsync_SecondRun_AppliesNothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        var report = await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        Assert.Empty(report.Applied);
        Assert.Equal(
            Enumerable.Range(1, SchemaMigrator.RequiredVersion),
            report.AlreadyPresent.Select(script => script.Version));
        Assert.Equal(SchemaMigrator.RequiredVersion, report.CurrentVersion);
    }

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_RecordsVersions()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        var recorded = await database.ScalarAsync<string>(
            "SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM meshflow_schema_version");
        var expected = string.Join(",", SchemaMigrator.Scripts.Select(script => $"{script.Version}:{script.Name}"));
        Assert.Equal(expected, recorded);
        Assert.Equal(
            0L,
            await database.ScalarAsync<long>("SELECT count(*) FROM meshflow_schema_version WHERE applied_at IS NULL"));
    }

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_CreatesEveryQueryKey()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        var keys = await database.ScalarAsync<string>("SELECT string_agg(QueryKey, ',' ORDER BY QueryKey) FROM OrleansQuery");
        Assert.Equal(string.Join(",", AllQueryKeys.Order(StringComparer.Ordinal)), keys);
    }

    [Fact]
    public async Task MigrateAsync_ConcurrentRuns_ApplyEachScriptOnce()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var runs = await Task.WhenAll(
            SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None),
            SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None),
            SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None));

        var appliedVersions = runs.SelectMany(run => run.Applied).Select(script => script.Version).Order();
        Assert.Equal(Enumerable.Range(1, SchemaMigrator.RequiredVersion), appliedVersions);
        Assert.All(runs, run => Assert.Equal(SchemaMigrator.RequiredVersion, run.CurrentVersion));
        Assert.Equal(
            (long)SchemaMigrator.RequiredVersion,
            await database.ScalarAsync<long>("SELECT count(*) FROM meshflow_schema_version"));
    }

    [Fact]
    public async Task Scripts_AppliedTwiceByHand_Succeed()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();

        for (var pass = 1; pass <= 2; pass++)
        {
            foreach (var script in SchemaMigrator.Scripts)
            {
                await using var command = new NpgsqlCommand(script.Sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        var keys = await database.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery");
        Assert.Equal(AllQueryKeys.Length, keys);
    }

    [Fact]
    public async Task GetStatusAsync_EmptyDatabase_ReportsMissing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var status = await SchemaMigrator.GetStatusAsync(database.ConnectionString, CancellationToken.None);

        Assert.Equal(SchemaState.Missing, status.State);
        Assert.Null(status.CurrentVersion);
        Assert.Equal(SchemaMigrator.RequiredVersion, status.RequiredVersion);
        Assert.False(status.IsReady);
        Assert.Contains("meshflow db migrate --connection", status.Message, StringComparison.Ordinal);
        Assert.Contains(database.Name, status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStatusAsync_AfterMigrate_ReportsCurrent()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        var status = await SchemaMigrator.GetStatusAsync(database.ConnectionString, CancellationToken.None);

        Assert.Equal(SchemaState.Current, status.State);
        Assert.Equal(SchemaMigrator.RequiredVersion, status.CurrentVersion);
        Assert.True(status.IsReady);
    }

    [Fact]
    public async Task GetStatusAsync_OlderSchema_ReportsOutdated()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await database.ScalarAsync<object>(
            $"DELETE FROM meshflow_schema_version WHERE version = {SchemaMigrator.RequiredVersion}");

        var status = await SchemaMigrator.GetStatusAsync(database.ConnectionString, CancellationToken.None);

        Assert.Equal(SchemaState.Outdated, status.State);
        Assert.Equal(SchemaMigrator.RequiredVersion - 1, status.CurrentVersion);
        Assert.False(status.IsReady);
        Assert.Contains("meshflow db migrate --connection", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_OlderSchema_AppliesMissingScript()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        await database.ScalarAsync<object>(
            $"DELETE FROM meshflow_schema_version WHERE version = {SchemaMigrator.RequiredVersion}");

        var report = await SchemaMigrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        var applied = Assert.Single(report.Applied);
        Assert.Equal(SchemaMigrator.RequiredVersion, applied.Version);
        Assert.Equal(SchemaMigrator.RequiredVersion - 1, report.AlreadyPresent.Count);
    }
}
