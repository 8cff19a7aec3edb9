using System.Text;
using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Grains;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// <c>meshflow alerts</c> commands against a running test cluster. Rules that can fire point at a
/// <see cref="TestReceiver"/>; the others point at a closed port on 127.0.0.1.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AlertCommandTests(MeshFlowCluster cluster)
{
    private const string Secret = "hmac-secret-alert-5b";
    private const string ClosedUrl = "http://127.0.0.1:9/alerts";
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    private static readonly string[] RuleKeys =
    [
        "name", "tenant_id", "metric", "threshold", "window_seconds", "aggregation", "comparison", "for_seconds",
        "repeat_seconds", "event", "webhook_url",
    ];

    private readonly string tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task Add_NoSecretJson_PrintsRuleAndGeneratedSecret()
    {
        var result = await RunAsync(
            "alerts", "add", "high-cost-alert", "--metric", "agent.cost_usd", "--threshold", "1.0", "--window", "60",
            "--webhook-url", ClosedUrl, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var rule = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal([.. RuleKeys, "secret"], rule.EnumerateObject().Select(property => property.Name));
        Assert.Equal("high-cost-alert", rule.GetProperty("name").GetString());
        Assert.Equal(tenant, rule.GetProperty("tenant_id").GetString());
        Assert.Equal("agent.cost_usd", rule.GetProperty("metric").GetString());
        Assert.Equal(1.0, rule.GetProperty("threshold").GetDouble());
        Assert.Equal(60, rule.GetProperty("window_seconds").GetInt32());
        Assert.Equal("sum", rule.GetProperty("aggregation").GetString());
        Assert.Equal("gt", rule.GetProperty("comparison").GetString());
        Assert.Equal(0, rule.GetProperty("for_seconds").GetInt32());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("repeat_seconds").ValueKind);
        Assert.Equal("alert", rule.GetProperty("event").GetString());
        Assert.Equal(ClosedUrl, rule.GetProperty("webhook_url").GetString());
        Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("secret").GetString()));
    }

    [Fact]
    public async Task Add_GivenSecretJson_LeavesSecretOut()
    {
        var result = await RunAsync(
            "alerts", "add", "r1", "--metric", "agent.cost_usd", "--threshold", "1", "--window", "60",
            "--webhook-url", ClosedUrl, "--secret", Secret, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(RuleKeys, JsonDocument.Parse(result.Stdout).RootElement.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_SecretFile_NeverPrintsSecret()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, Secret + "\n");

            var result = await RunAsync(
                "alerts", "add", "r1", "--metric", "agent.cost_usd", "--threshold", "1", "--window", "60",
                "--webhook-url", ClosedUrl, "--secret-file", path);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(
                $"Added alert rule r1 (tenant {tenant}): agent.cost_usd sum over 60 s > 1.0; sends 'alert' events to "
                + $"{ClosedUrl}.",
                result.Stdout.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Add_NoSecretText_ShowsSecretOnlyOnce()
    {
        var added = await RunAsync(
            "alerts", "add", "high-cost-alert", "--metric", "agent.cost_usd", "--threshold", "1.0", "--window", "60",
            "--webhook-url", ClosedUrl);
        var list = await RunAsync("alerts", "list");
        var listJson = await RunAsync("alerts", "list", "--json");
        var evaluated = await RunAsync("alerts", "evaluate", "--json");

        Assert.Equal(0, added.ExitCode);
        var lines = added.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(
            $"Added alert rule high-cost-alert (tenant {tenant}): agent.cost_usd sum over 60 s > 1.0; sends 'alert' "
            + $"events to {ClosedUrl}.",
            lines[0]);
        Assert.StartsWith("Signing secret: ", lines[1], StringComparison.Ordinal);
        var secret = lines[1]["Signing secret: ".Length..];
        Assert.True(secret.Length >= 16, $"The generated secret '{secret}' is shorter than 16 characters.");
        Assert.Equal(
            "The secret is shown only this once. Store it now: receivers need it to verify X-MeshFlow-Signature.",
            lines[2]);
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listJson.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, evaluated.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_EveryOption_StoresIt()
    {
        var result = await RunAsync(
            "alerts", "add", "slow.p95", "--metric", "agent.latency_ms", "--threshold", "2.5e3", "--window", "2h",
            "--webhook-url", ClosedUrl, "--secret", Secret, "--aggregation", "P95", "--comparison", "gte",
            "--for", "5m", "--repeat", "1h", "--event", "sla_breach", "--json");

        Assert.Equal(0, result.ExitCode);
        var rule = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(2500.0, rule.GetProperty("threshold").GetDouble());
        Assert.Equal(7200, rule.GetProperty("window_seconds").GetInt32());
        Assert.Equal("p95", rule.GetProperty("aggregation").GetString());
        Assert.Equal("gte", rule.GetProperty("comparison").GetString());
        Assert.Equal(300, rule.GetProperty("for_seconds").GetInt32());
        Assert.Equal(3600, rule.GetProperty("repeat_seconds").GetInt32());
        Assert.Equal("sla_breach", rule.GetProperty("event").GetString());
    }

    [Fact]
    public async Task Add_EveryOptionText_DescribesRule()
    {
        var result = await RunAsync(
            "alerts", "add", "low-throughput", "--metric", "agent.steps", "--threshold", "-0.5", "--window", "90s",
            "--webhook-url", ClosedUrl, "--secret", Secret, "--aggregation", "avg", "--comparison", "lte",
            "--for", "30", "--repeat", "1d", "--event", "budget_exceeded");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $"Added alert rule low-throughput (tenant {tenant}): agent.steps avg over 90 s <= -0.5, held for 30 s, "
            + $"repeated every 86400 s; sends 'budget_exceeded' events to {ClosedUrl}.",
            result.Stdout.Trim());
    }

    [Fact]
    public async Task Add_DuplicateName_RequiresReplace()
    {
        await AddAsync("dup", threshold: "1");

        var duplicate = await AddAsync("dup", threshold: "2", expectedExitCode: 2);
        var replaced = await RunAsync(
            "alerts", "add", "dup", "--metric", "agent.cost_usd", "--threshold", "3", "--window", "60",
            "--webhook-url", ClosedUrl, "--secret", Secret, "--replace");
        var list = await RunAsync("alerts", "list", "--json");

        CliAssert.OneLineError(duplicate, 2, $"Alert rule 'dup' already exists for tenant '{tenant}'");
        Assert.Contains("--replace", duplicate.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, replaced.ExitCode);
        Assert.StartsWith($"Replaced alert rule dup (tenant {tenant}):", replaced.Stdout, StringComparison.Ordinal);
        var rule = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.Equal(3.0, rule.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public async Task Add_SameRuleAndSecretAgain_Succeeds()
    {
        await AddAsync("same", threshold: "1");

        var again = await AddAsync("same", threshold: "1");

        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith(
            $"Alert rule same (tenant {tenant}) already has these settings; nothing changed:",
            again.Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_TwoRules_PrintsTableByName()
    {
        await AddAsync("zeta", threshold: "1");
        await AddAsync("alpha", threshold: "2");

        var result = await RunAsync("alerts", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches("^NAME +METRIC +CONDITION +FOR +REPEAT +EVENT +WEBHOOK URL$", lines[0]);
        Assert.Matches($"^alpha +agent.cost_usd +sum over 60 s > 2\\.0 +0 s +- +alert +{ClosedUrl}$", lines[1]);
        Assert.StartsWith("zeta ", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_PrintsArrayWithoutSecret()
    {
        await AddAsync("zeta", threshold: "1");
        await AddAsync("alpha", threshold: "2");

        var result = await RunAsync("alerts", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        var rules = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(["alpha", "zeta"], rules.Select(rule => rule.GetProperty("name").GetString()));
        Assert.All(rules, rule => Assert.Equal(RuleKeys, rule.EnumerateObject().Select(p => p.Name)));
        Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NoRules_SaysSo()
    {
        var text = await RunAsync("alerts", "list");
        var json = await RunAsync("alerts", "list", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Equal($"No alert rules for tenant '{tenant}'. Add one with 'meshflow alerts add'.", text.Stdout.Trim());
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(json.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Remove_ExistingRule_PrintsItAndForgetsIt()
    {
        await AddAsync("gone", threshold: "1");

        var removed = await RunAsync("alerts", "remove", "gone", "--json");
        var list = await RunAsync("alerts", "list", "--json");
        var again = await RunAsync("alerts", "remove", "gone");

        Assert.Equal(0, removed.ExitCode);
        var rule = JsonDocument.Parse(removed.Stdout).RootElement;
        Assert.Equal(RuleKeys, rule.EnumerateObject().Select(p => p.Name));
        Assert.Equal("gone", rule.GetProperty("name").GetString());
        Assert.Equal(0, JsonDocument.Parse(list.Stdout).RootElement.GetArrayLength());
        CliAssert.OneLineError(again, 1, "Alert rule 'gone' not found");
    }

    [Fact]
    public async Task Remove_Text_ConfirmsName()
    {
        await AddAsync("gone", threshold: "1");

        var result = await RunAsync("alerts", "remove", "gone");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Removed alert rule gone (tenant {tenant}, metric agent.cost_usd).", result.Stdout.Trim());
    }

    [Fact]
    public async Task Remove_UnknownRule_ExitsOne()
    {
        var result = await RunAsync("alerts", "remove", "nope");

        CliAssert.OneLineError(result, 1, $"Alert rule 'nope' not found for tenant '{tenant}'");
    }

    [Fact]
    public async Task Evaluate_UnknownRule_ExitsOne()
    {
        var result = await RunAsync("alerts", "evaluate", "nope", "--json");

        CliAssert.OneLineError(result, 1, $"Alert rule 'nope' not found for tenant '{tenant}'");
    }

    [Fact]
    public async Task Evaluate_NoSamplesJson_PrintsInactive()
    {
        await AddAsync("quiet", threshold: "1");

        var result = await RunAsync("alerts", "evaluate", "--json");

        Assert.Equal(0, result.ExitCode);
        var evaluation = Assert.Single(JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray());
        Assert.Equal(
            ["rule_name", "state", "value", "threshold"],
            evaluation.EnumerateObject().Select(property => property.Name));
        Assert.Equal("quiet", evaluation.GetProperty("rule_name").GetString());
        Assert.Equal("inactive", evaluation.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, evaluation.GetProperty("value").ValueKind);
        Assert.Equal(1.0, evaluation.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public async Task Evaluate_NoRules_SaysSo()
    {
        var text = await RunAsync("alerts", "evaluate");
        var json = await RunAsync("alerts", "evaluate", "--json");

        Assert.Equal($"No alert rules for tenant '{tenant}'. Add one with 'meshflow alerts add'.", text.Stdout.Trim());
        Assert.Equal(0, JsonDocument.Parse(json.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task RecordThenEvaluate_SumAboveThreshold_Fires()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var added = await RunAsync(
            "alerts", "add", "high-cost-alert", "--metric", "agent.cost_usd", "--threshold", "1.0", "--window", "60",
            "--webhook-url", receiver.Url.ToString(), "--json");
        var secret = JsonDocument.Parse(added.Stdout).RootElement.GetProperty("secret").GetString()!;
        Assert.Equal(0, (await RunAsync("metrics", "record", "agent.cost_usd", "0.75")).ExitCode);
        Assert.Equal(0, (await RunAsync("metrics", "record", "agent.cost_usd", "0.75")).ExitCode);

        var json = await RunAsync("alerts", "evaluate", "high-cost-alert", "--json");
        var text = await RunAsync("alerts", "evaluate", "high-cost-alert");
        var notification = await receiver.NextAsync(DeliveryTimeout);

        Assert.Equal(0, json.ExitCode);
        var evaluation = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal("firing", evaluation.GetProperty("state").GetString());
        Assert.Equal(1.5, evaluation.GetProperty("value").GetDouble());
        Assert.Equal(1.0, evaluation.GetProperty("threshold").GetDouble());
        Assert.Equal(0, text.ExitCode);
        Assert.Matches(
            "^high-cost-alert  firing  agent.cost_usd sum over 60 s = 1.5 > 1.0 \\(no full window observed yet\\)$",
            text.Stdout.Trim());
        Assert.True(WebhookSignature.Verify(notification.Body, notification.Header(WebhookHeaders.Signature), secret));
        Assert.Equal("alert", notification.Header(WebhookHeaders.Event));
        Assert.Contains("\"status\":\"firing\"", Encoding.UTF8.GetString(notification.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_TwoRules_OneLineEach()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await AddAsync("cost-high", threshold: "1", url: receiver.Url.ToString());
        await AddAsync("cost-very-high", threshold: "100", url: receiver.Url.ToString());
        Assert.Equal(0, (await RunAsync("metrics", "record", "agent.cost_usd", "2")).ExitCode);

        var result = await RunAsync("alerts", "evaluate");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(
            "cost-high       firing    agent.cost_usd sum over 60 s = 2.0 > 1.0",
            lines[0],
            StringComparison.Ordinal);
        Assert.StartsWith(
            "cost-very-high  inactive  agent.cost_usd sum over 60 s = 2.0, not > 100.0",
            lines[1],
            StringComparison.Ordinal);
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, "--tenant", tenant, "--gateway", cluster.Gateway]);

    private async Task<CliResult> AddAsync(
        string name,
        string threshold,
        string url = ClosedUrl,
        int expectedExitCode = 0)
    {
        var result = await RunAsync(
            "alerts", "add", name, "--metric", "agent.cost_usd", "--threshold", threshold, "--window", "60",
            "--webhook-url", url, "--secret", Secret);
        Assert.Equal(expectedExitCode, result.ExitCode);
        return result;
    }
}
