using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// <c>meshflow webhooks</c> commands against a running test cluster.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookCommandTests(MeshFlowCluster cluster)
{
    private const string Secret = "hmac-secret-4f1c9e";
    private const string Url = "https://example.com/meshflow-events";

    // Each test uses its own tenant, so the shared cluster's state never leaks between tests.
    private readonly string tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task Add_SeveralEvents_SubscribesToAll()
    {
        var result = await RunAsync(
            "webhooks", "add", Url, "--secret", Secret, "--events", "policy_violation", "hitl_pending",
            "--description", "On-call pager", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
        var webhook = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.StartsWith("wh_", webhook.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(tenant, webhook.GetProperty("tenant_id").GetString());
        Assert.Equal(Url, webhook.GetProperty("url").GetString());
        Assert.Equal(["policy_violation", "hitl_pending"], ReadStrings(webhook.GetProperty("events")));
        Assert.Equal("On-call pager", webhook.GetProperty("description").GetString());
        Assert.True(webhook.GetProperty("enabled").GetBoolean());
        Assert.EndsWith("Z", webhook.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            ["id", "tenant_id", "url", "events", "description", "enabled", "created_at"],
            webhook.EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public async Task Add_CommaSeparatedEvents_SubscribesToAll()
    {
        var result = await RunAsync(
            "webhooks", "add", Url, "--secret", Secret, "--events", "sla_breach,budget_exceeded", "--json");

        Assert.Equal(0, result.ExitCode);
        var webhook = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(["sla_breach", "budget_exceeded"], ReadStrings(webhook.GetProperty("events")));
    }

    [Fact]
    public async Task Add_Text_PrintsIdAndEvents()
    {
        var result = await RunAsync("webhooks", "add", Url, "--secret", Secret, "--events", "*");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Added webhook wh_", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"for * -> {Url} (tenant {tenant})", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_TwoWebhooks_PrintsTableWithoutSecret()
    {
        var first = await AddAsync("policy_violation");
        var second = await AddAsync("collusion_alert");

        var result = await RunAsync("webhooks", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(first, lines[1], StringComparison.Ordinal);
        Assert.StartsWith(second, lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_PrintsArrayWithoutSecret()
    {
        var id = await AddAsync("policy_violation");

        var result = await RunAsync("webhooks", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        var webhooks = JsonDocument.Parse(result.Stdout).RootElement;
        var webhook = Assert.Single(webhooks.EnumerateArray());
        Assert.Equal(id, webhook.GetProperty("id").GetString());
        Assert.False(webhook.TryGetProperty("secret", out _));
        Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NoWebhooks_SaysSo()
    {
        var result = await RunAsync("webhooks", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"No webhooks for tenant '{tenant}'. Add one with 'meshflow webhooks add'.", result.Stdout.Trim());
    }

    [Fact]
    public async Task List_NoWebhooksJson_PrintsEmptyArray()
    {
        var result = await RunAsync("webhooks", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(result.Stdout).RootElement.ValueKind);
        Assert.Equal(0, JsonDocument.Parse(result.Stdout).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Show_ExistingId_PrintsFields()
    {
        var id = await AddAsync("hitl_pending");

        var result = await RunAsync("webhooks", "show", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"ID:           {id}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"URL:          {Url}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Events:       hitl_pending", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Enabled:      yes", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_DescriptionWithControls_EscapesThem()
    {
        const string Description = "Pager\nrotation\tA\r\u001b[31mred\u2028end";
        var id = await AddAsync("policy_violation", Description);

        var result = await RunAsync("webhooks", "list");
        var json = await RunAsync("webhooks", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(id, lines[1], StringComparison.Ordinal);
        Assert.EndsWith(@"Pager\nrotation\tA\r\u001B[31mred\u2028end", lines[1].TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Stdout);
        var webhook = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal(Description, webhook.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Show_DescriptionWithNewline_StaysOnOneLine()
    {
        var id = await AddAsync("policy_violation", "first line\nsecond line");

        var result = await RunAsync("webhooks", "show", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(
            @"Description:  first line\nsecond line" + Environment.NewLine,
            result.Stdout,
            StringComparison.Ordinal);
        Assert.DoesNotContain(
            result.Stdout.Split('\n'),
            line => line.StartsWith("second line", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_DisabledWebhook_ShowsReason()
    {
        var enabled = await AddAsync("policy_violation");
        var disabled = await AddAsync("hitl_pending");
        Assert.Equal(0, (await RunAsync("webhooks", "disable", disabled)).ExitCode);

        var result = await RunAsync("webhooks", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith(enabled, lines[1], StringComparison.Ordinal);
        Assert.StartsWith(disabled, lines[2], StringComparison.Ordinal);
        Assert.Equal($"Why {disabled} is disabled: disabled by an operator", lines[3]);
    }

    [Fact]
    public async Task Show_DisabledWebhook_ShowsReason()
    {
        var id = await AddAsync("policy_violation");
        Assert.Equal(0, (await RunAsync("webhooks", "disable", id)).ExitCode);

        var result = await RunAsync("webhooks", "show", id);
        var json = await RunAsync("webhooks", "show", id, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Enabled:      no", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Why disabled: disabled by an operator", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            ["id", "tenant_id", "url", "events", "description", "enabled", "created_at"],
            JsonDocument.Parse(json.Stdout).RootElement.EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public async Task Show_OtherTenant_ReportsNotFound()
    {
        var id = await AddAsync("hitl_pending");

        var result = await CliRunner.RunAsync(
            "webhooks", "show", id, "--tenant", "someone-else", "--gateway", cluster.Gateway);

        CliAssert.OneLineError(result, 1, id);
    }

    [Fact]
    public async Task DisableThenEnable_TogglesEnabled()
    {
        var id = await AddAsync("policy_violation");

        var disabled = await RunAsync("webhooks", "disable", id, "--json");
        var showAfterDisable = await RunAsync("webhooks", "show", id, "--json");
        var enabled = await RunAsync("webhooks", "enable", id, "--json");

        Assert.Equal(0, disabled.ExitCode);
        Assert.False(JsonDocument.Parse(disabled.Stdout).RootElement.GetProperty("enabled").GetBoolean());
        Assert.False(JsonDocument.Parse(showAfterDisable.Stdout).RootElement.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, enabled.ExitCode);
        Assert.True(JsonDocument.Parse(enabled.Stdout).RootElement.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Disable_Text_ConfirmsId()
    {
        var id = await AddAsync("policy_violation");

        var result = await RunAsync("webhooks", "disable", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Disabled webhook {id} ({Url}).", result.Stdout.Trim());
    }

    [Fact]
    public async Task Remove_ExistingId_RemovesWebhook()
    {
        var id = await AddAsync("policy_violation");

        var removed = await RunAsync("webhooks", "remove", id, "--json");
        var showAfterRemove = await RunAsync("webhooks", "show", id);

        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(id, JsonDocument.Parse(removed.Stdout).RootElement.GetProperty("id").GetString());
        CliAssert.OneLineError(showAfterRemove, 1, id);
    }

    [Fact]
    public async Task Remove_UnknownId_ReportsNotFound()
    {
        const string Unknown = "wh_000000000000000000000000";

        var result = await RunAsync("webhooks", "remove", Unknown);

        CliAssert.OneLineError(result, 1, Unknown);
    }

    [Fact]
    public async Task Enable_UnknownId_ReportsNotFound()
    {
        const string Unknown = "wh_ffffffffffffffffffffffff";

        var result = await RunAsync("webhooks", "enable", Unknown, "--json");

        CliAssert.OneLineError(result, 1, Unknown);
    }

    [Fact]
    public async Task Add_SecretFile_RegistersWebhook()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, Secret + "\n");

            var result = await RunAsync(
                "webhooks", "add", Url, "--secret-file", path, "--events", "policy_violation", "--json");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(string.Empty, result.Stderr);
            Assert.DoesNotContain(Secret, result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, "--tenant", tenant, "--gateway", cluster.Gateway]);

    private async Task<string> AddAsync(string eventType, string? description = null)
    {
        string[] args = ["webhooks", "add", Url, "--secret", Secret, "--events", eventType, "--json"];
        var result = await RunAsync(description is null ? args : [.. args, "--description", description]);
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("id").GetString()!;
    }

    private static string[] ReadStrings(JsonElement array) =>
        [.. array.EnumerateArray().Select(item => item.GetString()!)];
}
