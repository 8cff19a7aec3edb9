using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Grains.Postgres;

namespace MeshFlow.Cli.Tests.Database;

/// <summary>
/// <c>meshflow db migrate</c> and <c>meshflow db status</c> against the PostgreSQL server of the test run. Each test
/// migrates a database of its own.
/// </summary>
public sealed class DbMigrateCommandTests
{
    private const string Password = "pw-7c41e9-never-printed";

    private static readonly string[] AllScripts =
        [.. SchemaMigrator.Scripts.Select(script => $"{script.Version:D4}_{script.Name}")];

    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesEveryScript()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var result = await CliRunner.RunAsync("db", "migrate", "--connection", database.ConnectionString);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(
            $"Applied {string.Join(", ", AllScripts)}. Schema is at version {SchemaMigrator.RequiredVersion}.",
            result.Stdout.TrimEnd());
        Assert.StartsWith("Applied 0001_schema_version, 0002_orleans_query,", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_SecondRun_AppliesNothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var first = await CliRunner.RunAsync("db", "migrate", "--connection", database.ConnectionString);

        var second = await CliRunner.RunAsync("db", "migrate", "--connection", database.ConnectionString);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(string.Empty, second.Stderr);
        Assert.Equal(
            $"Schema already at version {SchemaMigrator.RequiredVersion}; nothing to apply.",
            second.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Migrate_Json_ListsAppliedThenAlreadyApplied()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var first = await CliRunner.RunAsync("db", "migrate", "--connection", database.ConnectionString, "--json");
        var second = await CliRunner.RunAsync("db", "migrate", "--connection", database.ConnectionString, "--json");

        Assert.Equal(0, first.ExitCode);
        var applied = JsonDocument.Parse(first.Stdout).RootElement;
        Assert.Equal(["applied", "already_applied", "version"], applied.EnumerateObject().Select(p => p.Name));
        Assert.Equal(AllScripts, ReadStrings(applied.GetProperty("applied")));
        Assert.Empty(ReadStrings(applied.GetProperty("already_applied")));
        Assert.Equal(SchemaMigrator.RequiredVersion, applied.GetProperty("version").GetInt32());

        Assert.Equal(0, second.ExitCode);
        var present = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Empty(ReadStrings(present.GetProperty("applied")));
        Assert.Equal(AllScripts, ReadStrings(present.GetProperty("already_applied")));
        Assert.Equal(SchemaMigrator.RequiredVersion, present.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Migrate_ConnectionFromVariable_UsesIt()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var variables = new Dictionary<string, string> { ["MESHFLOW_CONNECTION"] = database.ConnectionString };

        var result = await CliRunner.RunAsync(["db", "migrate"], variables);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Applied 0001_schema_version", result.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidConnectionStrings => new()
    {
        { $"Host=127.0.0.1;Port=not-a-port;Password={Password}", "the value of 'Port' is not valid" },
        { $"Host=127.0.0.1;Pasword={Password}", "unknown keyword 'Pasword'" },
        { $"Host=127.0.0.1;Password={Password[..5]};{Password[5..]}", "Invalid PostgreSQL connection string" },
        { $"Port=5432;Password={Password}", "Host is missing" },
        { "Host=127.0.0.1;Password", "Invalid PostgreSQL connection string" },
    };

    [Theory]
    [MemberData(nameof(InvalidConnectionStrings))]
    public async Task Migrate_InvalidConnectionString_ExitsWithUsage(string connectionString, string expected)
    {
        var result = await CliRunner.RunAsync("db", "migrate", "--connection", connectionString);

        CliAssert.OneLineError(result, 2, expected);
        AssertNoPassword(result);
    }

    [Fact]
    public async Task Migrate_InvalidVariable_NamesVariable()
    {
        var variables = new Dictionary<string, string> { ["MESHFLOW_CONNECTION"] = $"Port=1;Password={Password}" };

        var result = await CliRunner.RunAsync(["db", "migrate"], variables);

        CliAssert.OneLineError(result, 2, "Host is missing");
        Assert.Contains("comes from MESHFLOW_CONNECTION", result.Stderr, StringComparison.Ordinal);
        AssertNoPassword(result);
    }

    [Fact]
    public async Task Migrate_MissingConnection_ExitsWithUsage()
    {
        var result = await CliRunner.RunAsync(["db", "migrate"], new Dictionary<string, string>());

        CliAssert.OneLineError(result, 2, "Missing PostgreSQL connection string: give --connection");
        Assert.Contains("or set MESHFLOW_CONNECTION.", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("status")]
    public async Task Db_ClosedPort_ExitsWithFailure(string command)
    {
        var port = FreePort.Next();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=meshflow;Password={Password};Database=meshflow";

        var result = await CliRunner.RunAsync("db", command, "--connection", connectionString);

        CliAssert.OneLineError(result, 1, $"Cannot connect to PostgreSQL at 127.0.0.1:{port}: connection refused");
        AssertNoPassword(result);
    }

    [Fact]
    public async Task Migrate_MissingDatabase_ExitsWithFailure()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var absent = database.Name + "_absent";
        var missing = database.ConnectionString.Replace(database.Name, absent, StringComparison.Ordinal);

        var result = await CliRunner.RunAsync("db", "migrate", "--connection", missing);

        CliAssert.OneLineError(result, 1, $"Database '{absent}' does not exist");
    }

    [Fact]
    public async Task Status_EmptyThenMigrated_ReportsState()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var missing = await CliRunner.RunAsync("db", "status", "--connection", database.ConnectionString);
        await CliRunner.RunAsync("db", "migrate", "--connection", database.ConnectionString);
        var current = await CliRunner.RunAsync("db", "status", "--connection", database.ConnectionString, "--json");

        Assert.Equal(0, missing.ExitCode);
        Assert.StartsWith(
            $"The MeshFlow schema is missing in {database.Description}",
            missing.Stdout,
            StringComparison.Ordinal);
        Assert.Contains("meshflow db migrate", missing.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, current.ExitCode);
        var status = JsonDocument.Parse(current.Stdout).RootElement;
        Assert.Equal("current", status.GetProperty("state").GetString());
        Assert.Equal(SchemaMigrator.RequiredVersion, status.GetProperty("version").GetInt32());
        Assert.Equal(SchemaMigrator.RequiredVersion, status.GetProperty("required_version").GetInt32());
        Assert.True(status.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Parse_UnquotedPassword_IsNotEchoed()
    {
        var result = await CliRunner.RunAsync(
            "db", "migrate", "--connection", "Host=127.0.0.1", $"Password={Password}");

        CliAssert.OneLineError(result, 2, "Unrecognized argument that contains a password");
        AssertNoPassword(result);
    }

    private static void AssertNoPassword(CliResult result)
    {
        Assert.DoesNotContain(Password[..5], result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password[5..], result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password[..5], result.Stdout, StringComparison.Ordinal);
    }

    private static string[] ReadStrings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
