using System.Text.Json;
using MeshFlow.Cli.Output;
using MeshFlow.Cli.Tests.Infrastructure;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// <c>meshflow metrics record</c> against a running test cluster, whose silo reads the system clock.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricCommandTests(MeshFlowCluster cluster)
{
    private const string Metric = "agent.cost_usd";
    private const string ClosedUrl = "http://127.0.0.1:9/alerts";

    private readonly string tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task Record_Json_PrintsAccepted()
    {
        var result = await RunAsync("metrics", "record", Metric, "0.42", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var document = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(["accepted"], document.EnumerateObject().Select(property => property.Name));
        Assert.Equal(1, document.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Record_Text_PrintsCount()
    {
        var result = await RunAsync("metrics", "record", Metric, "0.42");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Recorded 1 sample of {Metric} (tenant {tenant}).", result.Stdout.Trim());
    }

    [Fact]
    public async Task Record_FutureTime_ExitsOne()
    {
        var at = Format(DateTimeOffset.UtcNow.AddHours(1));

        var result = await RunAsync("metrics", "record", Metric, "1", "--at", at);

        CliAssert.OneLineError(
            result,
            1,
            $"Rejected the {Metric} sample: its time {at} is more than 5 s ahead of the service clock.");
    }

    [Fact]
    public async Task Record_FutureTimeJson_PrintsZeroAccepted()
    {
        var at = Format(DateTimeOffset.UtcNow.AddMinutes(10));

        var result = await RunAsync("metrics", "record", Metric, "1", "--at", at, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("accepted").GetInt32());
        var error = Assert.Single(result.StderrLines);
        Assert.Contains("more than 5 s ahead of the service clock", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_TooOld_ExitsOne()
    {
        var at = Format(DateTimeOffset.UtcNow.AddDays(-2));

        var result = await RunAsync("metrics", "record", Metric, "1", "--at", at);

        CliAssert.OneLineError(
            result,
            1,
            $"Rejected the {Metric} sample: its time {at} is older than the longest alert window (1 day) plus the "
            + "60 s lateness horizon");
    }

    [Fact]
    public async Task Record_PastTimeInWindow_CountsInEvaluation()
    {
        Assert.Equal(0, (await AddRuleAsync("--window", "5m")).ExitCode);
        var at = Format(DateTimeOffset.UtcNow.AddSeconds(-90));

        var recorded = await RunAsync("metrics", "record", Metric, "-2.5", "--at", at, "--json");
        var evaluated = await RunAsync("alerts", "evaluate", "--json");

        Assert.Equal(0, recorded.ExitCode);
        Assert.Equal(1, JsonDocument.Parse(recorded.Stdout).RootElement.GetProperty("accepted").GetInt32());
        var evaluation = Assert.Single(JsonDocument.Parse(evaluated.Stdout).RootElement.EnumerateArray());
        Assert.Equal(-2.5, evaluation.GetProperty("value").GetDouble());
        Assert.Equal("inactive", evaluation.GetProperty("state").GetString());
    }

    private static string Format(DateTimeOffset time) => OutputFormat.Timestamp(time);

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, "--tenant", tenant, "--gateway", cluster.Gateway]);

    private Task<CliResult> AddRuleAsync(params string[] options) =>
        RunAsync(
            [
                "alerts", "add", "cost", "--metric", Metric, "--threshold", "100", "--webhook-url", ClosedUrl,
                "--secret", "hmac-secret-m1", .. options,
            ]);
}
