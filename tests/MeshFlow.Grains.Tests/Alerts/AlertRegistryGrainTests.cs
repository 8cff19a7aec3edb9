using System.Globalization;
using System.Text.Json;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class AlertRegistryGrainTests(DeliveryClusterFixture fixture) : IClassFixture<DeliveryClusterFixture>
{
    private const string Secret = "alert-secret";
    private const string Metric = "agent.cost_usd";
    private const string Url = "http://127.0.0.1:9/unused";

    // Long enough for a request that was wrongly sent to reach a receiver on the same machine.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(500);

    private DeliveryCluster Cluster => fixture.Cluster;

    public static TheoryData<AlertRule, string> InvalidRules => new()
    {
        {
            new AlertRule("bad-metric", "Agent.Cost", 1.0, 60, Url),
            "Invalid metric name 'Agent.Cost': use at most 128 characters in dot-separated segments of lowercase "
            + "ASCII letters, digits and '_', such as agent.cost_usd."
        },
        {
            new AlertRule("zero-window", Metric, 1.0, 0, Url),
            "Invalid window 0 s: use 1 to 86400 seconds (24 hours)."
        },
        {
            new AlertRule("long-window", Metric, 1.0, 86_401, Url),
            "Invalid window 86401 s: use 1 to 86400 seconds (24 hours)."
        },
        {
            new AlertRule("nan-threshold", Metric, double.NaN, 60, Url),
            "Invalid threshold 'NaN': use a finite number."
        },
        {
            new AlertRule("bad-url", Metric, 1.0, 60, "ftp://127.0.0.1/alerts"),
            "Invalid webhook URL 'ftp://127.0.0.1/alerts': use an absolute http:// or https:// URL with a host, a port "
            + "other than 0 and no spaces, of at most 2048 characters, such as https://example.com/meshflow-events."
        },
    };

    [Fact]
    public async Task AddRule_DuplicateName_RejectedUnlessReplace()
    {
        const string tenantId = "registry-duplicate";
        var registry = Cluster.Alerts(tenantId);
        var original = new AlertRule("high-cost-alert", Metric, 1.0, 60, Url);
        var changed = original with { Threshold = 2.0 };
        await registry.AddRuleAsync(original, Secret, replace: false);

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => registry.AddRuleAsync(changed, Secret, replace: false));
        var afterRejection = await registry.ListRulesAsync();
        var replaced = await registry.AddRuleAsync(changed, null, replace: true);
        var afterReplace = await registry.ListRulesAsync();

        Assert.Equal(
            "Alert rule 'high-cost-alert' already exists for tenant 'registry-duplicate': replace it (the --replace "
            + "option of 'meshflow alerts add'), or choose another name.",
            error.Message);
        Assert.Equal([original], afterRejection);
        Assert.True(replaced.Replaced);
        Assert.Null(replaced.GeneratedSecret);
        Assert.Equal(changed, replaced.Rule);
        Assert.Equal([changed], afterReplace);
    }

    [Fact]
    public async Task AddRule_IdenticalAgain_IsIdempotent()
    {
        const string tenantId = "registry-idempotent";
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 60, Url);
        var first = await registry.AddRuleAsync(rule, null, replace: false);

        var again = await registry.AddRuleAsync(rule, null, replace: false);
        var withReplace = await registry.AddRuleAsync(rule, null, replace: true);
        var list = await registry.ListRulesAsync();

        Assert.NotNull(first.GeneratedSecret);
        Assert.False(first.Replaced);
        Assert.False(first.Unchanged);
        Assert.Null(again.GeneratedSecret);
        Assert.False(again.Replaced);
        Assert.True(again.Unchanged);
        Assert.True(withReplace.Unchanged);
        Assert.Equal(rule, again.Rule);
        Assert.Null(withReplace.GeneratedSecret);
        Assert.False(withReplace.Replaced);
        Assert.Equal([rule], list);
    }

    [Fact]
    public async Task AddRule_OtherSecret_RejectedUnlessReplace()
    {
        const string tenantId = "registry-other-secret";
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 60, Url);
        await registry.AddRuleAsync(rule, Secret, replace: false);

        var sameSecret = await registry.AddRuleAsync(rule, Secret, replace: false);
        await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => registry.AddRuleAsync(rule, "another-secret", replace: false));
        var replaced = await registry.AddRuleAsync(rule, "another-secret", replace: true);

        Assert.False(sameSecret.Replaced);
        Assert.Null(sameSecret.GeneratedSecret);
        Assert.True(replaced.Replaced);
        Assert.Null(replaced.GeneratedSecret);
    }

    [Fact]
    public async Task AddRule_NoSecret_GeneratedOnceAndSigns()
    {
        const string tenantId = "registry-generated-secret";
        await using var receiver = await TestReceiver.StartAsync();
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString());

        var added = await registry.AddRuleAsync(rule, null, replace: false);
        var again = await registry.AddRuleAsync(rule, null, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await registry.EvaluateAsync(null);
        var firing = await receiver.NextAsync();

        var secret = added.GeneratedSecret;
        Assert.NotNull(secret);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(6 + 64, secret.Length);
        Assert.DoesNotContain(secret, added.ToString(), StringComparison.Ordinal);
        Assert.Null(again.GeneratedSecret);
        Assert.True(WebhookSignature.Verify(firing.Body, firing.Header(WebhookHeaders.Signature), secret));
    }

    [Fact]
    public async Task AddRule_TwoGeneratedSecrets_Differ()
    {
        const string tenantId = "registry-distinct-secrets";
        var registry = Cluster.Alerts(tenantId);

        var first = await registry.AddRuleAsync(new AlertRule("first", Metric, 1.0, 60, Url), null, replace: false);
        var second = await registry.AddRuleAsync(new AlertRule("second", Metric, 1.0, 60, Url), null, replace: false);

        Assert.NotNull(first.GeneratedSecret);
        Assert.NotNull(second.GeneratedSecret);
        Assert.NotEqual(first.GeneratedSecret, second.GeneratedSecret);
    }

    [Fact]
    public async Task ListRules_OrderedByNameWithoutSecrets()
    {
        const string tenantId = "registry-list";
        var registry = Cluster.Alerts(tenantId);
        var generated = new List<string>();
        foreach (var name in new[] { "b-rule", "a-rule", "C-rule", "a.rule" })
        {
            var added = await registry.AddRuleAsync(new AlertRule(name, Metric, 1.0, 60, Url), null, replace: false);
            generated.Add(added.GeneratedSecret!);
        }

        await registry.AddRuleAsync(new AlertRule("given-secret", Metric, 1.0, 60, Url), Secret, replace: false);

        var list = await registry.ListRulesAsync();
        var json = JsonSerializer.Serialize(list);

        // Ordinal order: upper case before lower case, '-' before '.'.
        Assert.Equal(["C-rule", "a-rule", "a.rule", "b-rule", "given-secret"], list.Select(rule => rule.Name));
        Assert.All(generated, secret => Assert.DoesNotContain(secret, json, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveRule_Removed_NotFoundAfterwards()
    {
        const string tenantId = "registry-remove";
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 60, Url);
        var other = new AlertRule("other", Metric, 1.0, 60, Url);
        await registry.AddRuleAsync(rule, Secret, replace: false);
        await registry.AddRuleAsync(other, Secret, replace: false);

        var removed = await registry.RemoveRuleAsync("high-cost-alert");
        var list = await registry.ListRulesAsync();
        var evaluations = await registry.EvaluateAsync(null);
        var evaluateError = await Assert.ThrowsAsync<MeshFlowNotFoundException>(
            () => registry.EvaluateAsync("high-cost-alert"));
        var removeError = await Assert.ThrowsAsync<MeshFlowNotFoundException>(
            () => registry.RemoveRuleAsync("high-cost-alert"));
        var recorded = await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);

        Assert.Equal(rule, removed);
        Assert.Equal([other], list);
        Assert.Equal(["other"], evaluations.Select(evaluation => evaluation.RuleName));
        Assert.Equal(
            "Alert rule 'high-cost-alert' not found for tenant 'registry-remove': check the name with "
            + "'meshflow alerts list'.",
            evaluateError.Message);
        Assert.Equal(evaluateError.Message, removeError.Message);
        Assert.Equal(1, recorded.Accepted);
        Assert.Null(await Cluster.Rule(tenantId, "high-cost-alert").GetRuleAsync());
    }

    [Fact]
    public async Task RemoveRule_WhileFiring_SendsOneResolved()
    {
        const string tenantId = "registry-remove-firing";
        await using var receiver = await TestReceiver.StartAsync();
        var registry = Cluster.Alerts(tenantId);
        await registry.AddRuleAsync(
            new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString()), Secret, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await registry.EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, firing);

        await registry.RemoveRuleAsync("high-cost-alert");
        var resolved = await receiver.NextAsync();
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await Cluster.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));

        var body = AlertRequests.Body(resolved);
        Assert.Equal("resolved", body.GetProperty("status").GetString());
        Assert.Equal("alert rule high-cost-alert was removed", body.GetProperty("reason").GetString());
        Assert.Equal(AlertRequests.AlertId(firing), body.GetProperty("alert_id").GetString());
        Assert.Equal(1.5, body.GetProperty("value").GetDouble());
        Assert.Equal(WebhookSignature.ComputeHeader(resolved.Body, Secret), resolved.Header(WebhookHeaders.Signature));
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task RemoveRule_ReaddedAfterFiring_NewAlertId()
    {
        const string tenantId = "registry-readd";
        await using var receiver = await TestReceiver.StartAsync();
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString());
        await registry.AddRuleAsync(rule, Secret, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await registry.EvaluateAsync(null);
        var firstFiring = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, firstFiring);
        await registry.RemoveRuleAsync("high-cost-alert");
        var firstResolved = await receiver.NextAsync();

        var readded = await registry.AddRuleAsync(rule, Secret, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await registry.EvaluateAsync(null);
        var secondFiring = await receiver.NextAsync();

        Assert.False(readded.Replaced);
        Assert.Equal("high-cost-alert:1", AlertRequests.AlertId(firstFiring));
        Assert.Equal("high-cost-alert:1", AlertRequests.AlertId(firstResolved));
        Assert.Equal("high-cost-alert:2", AlertRequests.AlertId(secondFiring));
        Assert.Equal("firing", AlertRequests.Status(secondFiring));
    }

    [Fact]
    public async Task ReplaceRule_ChangedMetric_RoutesNewMetricOnly()
    {
        const string tenantId = "registry-replace-metric";
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("usage", "agent.cost_usd", 1000.0, 60, Url);
        await registry.AddRuleAsync(rule, Secret, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new("agent.cost_usd", 3.0)]);
        var before = Assert.Single(await registry.EvaluateAsync("usage"));

        await registry.AddRuleAsync(rule with { Metric = "agent.tokens" }, Secret, replace: true);
        var afterReplace = Assert.Single(await registry.EvaluateAsync("usage"));
        await Cluster.Metrics(tenantId).RecordAsync([new("agent.cost_usd", 5.0)]);
        var afterOldMetric = Assert.Single(await registry.EvaluateAsync("usage"));
        await Cluster.Metrics(tenantId).RecordAsync([new("agent.tokens", 7.0), new("agent.cost_usd", 11.0)]);
        var afterNewMetric = Assert.Single(await registry.EvaluateAsync("usage"));

        Assert.Equal(3.0, before.Value);
        Assert.Null(afterReplace.Value);
        Assert.Null(afterOldMetric.Value);
        Assert.Equal(7.0, afterNewMetric.Value);
        Assert.Equal("agent.tokens sum over 60 s = 7.0, not > 1000.0", afterNewMetric.Description);
        Assert.Equal("agent.tokens", Assert.Single(await registry.ListRulesAsync()).Metric);
    }

    [Fact]
    public async Task ReplaceRule_WhileFiring_ResolvesWithOldRule()
    {
        const string tenantId = "registry-replace-firing";
        await using var receiver = await TestReceiver.StartAsync();
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 60, receiver.Url.ToString());
        await registry.AddRuleAsync(rule, Secret, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await registry.EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, firing);

        await registry.AddRuleAsync(rule with { Threshold = 2.0 }, "new-secret", replace: true);
        var resolved = await receiver.NextAsync();
        var afterReplace = Assert.Single(await registry.EvaluateAsync(null));

        var body = AlertRequests.Body(resolved);
        Assert.Equal("resolved", body.GetProperty("status").GetString());
        Assert.Equal("alert rule high-cost-alert was replaced", body.GetProperty("reason").GetString());
        Assert.Equal(1.0, body.GetProperty("threshold").GetDouble());
        Assert.Equal(AlertRequests.AlertId(firing), body.GetProperty("alert_id").GetString());
        Assert.Equal(WebhookSignature.ComputeHeader(resolved.Body, Secret), resolved.Header(WebhookHeaders.Signature));
        Assert.Equal(AlertStatus.Inactive, afterReplace.State);
        Assert.Equal(1.5, afterReplace.Value);
        Assert.False(await receiver.AnyWithinAsync(QuietPeriod));
    }

    [Fact]
    public async Task ReplaceRule_SecretOnly_KeepsAlertFiring()
    {
        const string tenantId = "registry-replace-secret";
        await using var receiver = await TestReceiver.StartAsync();
        var registry = Cluster.Alerts(tenantId);
        var rule = new AlertRule("high-cost-alert", Metric, 1.0, 10, receiver.Url.ToString());
        await registry.AddRuleAsync(rule, Secret, replace: false);
        await Cluster.Metrics(tenantId).RecordAsync([new(Metric, 1.5)]);
        await registry.EvaluateAsync(null);
        var firing = await receiver.NextAsync();
        await Cluster.WaitForFinishedAsync(tenantId, firing);

        await registry.AddRuleAsync(rule, "new-secret", replace: true);
        var afterReplace = Assert.Single(await registry.EvaluateAsync(null));
        var sentOnReplace = await receiver.AnyWithinAsync(QuietPeriod);
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(11));
        await registry.EvaluateAsync(null);
        var resolved = await receiver.NextAsync();

        Assert.Equal(AlertStatus.Firing, afterReplace.State);
        Assert.False(sentOnReplace);
        Assert.Equal(AlertRequests.AlertId(firing), AlertRequests.AlertId(resolved));
        Assert.Equal("resolved", AlertRequests.Status(resolved));
        Assert.Equal(
            WebhookSignature.ComputeHeader(resolved.Body, "new-secret"),
            resolved.Header(WebhookHeaders.Signature));
    }

    [Fact]
    public async Task AddRule_101stRule_Rejected()
    {
        const string tenantId = "registry-limit";
        var registry = Cluster.Alerts(tenantId);
        for (var i = 0; i < AlertOptions.MaxRulesPerTenant; i++)
        {
            var name = "rule-" + i.ToString("D3", CultureInfo.InvariantCulture);
            await registry.AddRuleAsync(new AlertRule(name, Metric, 1.0, 60, Url), Secret, replace: false);
        }

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => registry.AddRuleAsync(new AlertRule("one-too-many", Metric, 1.0, 60, Url), Secret, replace: false));
        var replaced = await registry.AddRuleAsync(
            new AlertRule("rule-000", Metric, 2.0, 60, Url), Secret, replace: true);
        var list = await registry.ListRulesAsync();

        Assert.Equal(
            "Tenant 'registry-limit' already has 100 alert rules, the most allowed: remove one before adding "
            + "'one-too-many'.",
            error.Message);
        Assert.True(replaced.Replaced);
        Assert.Equal(100, list.Count);
        Assert.DoesNotContain(list, rule => rule.Name == "one-too-many");
        await Assert.ThrowsAsync<MeshFlowNotFoundException>(() => registry.EvaluateAsync("one-too-many"));
    }

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task AddRule_InvalidRule_RejectedAndNothingStored(AlertRule rule, string expectedMessage)
    {
        var tenantId = "registry-invalid-" + rule.Name;
        var registry = Cluster.Alerts(tenantId);
        var existing = new AlertRule("existing", Metric, 1.0, 60, Url);
        await registry.AddRuleAsync(existing, Secret, replace: false);

        var error = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => registry.AddRuleAsync(rule, Secret, replace: false));
        var replaceError = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => registry.AddRuleAsync(rule with { Name = "existing" }, Secret, replace: true));
        var list = await registry.ListRulesAsync();

        Assert.Equal(expectedMessage, error.Message);
        Assert.Equal(expectedMessage, replaceError.Message);
        Assert.Equal([existing], list);
        Assert.Null(await Cluster.Rule(tenantId, rule.Name).GetRuleAsync());
        Assert.Equal(existing, await Cluster.Rule(tenantId, "existing").GetRuleAsync());
    }
}
