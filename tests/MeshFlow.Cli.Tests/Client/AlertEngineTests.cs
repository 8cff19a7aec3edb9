using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Client;
using MeshFlow.Grains;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Cli.Tests.Client;

/// <summary>
/// <see cref="AlertEngine"/> against a recording registry grain, with no cluster.
/// </summary>
public sealed class AlertEngineTests
{
    private const string Tenant = "acme";

    private static readonly AlertRule Rule = new(
        "high-cost-alert", "agent.cost_usd", 1.0, 60, "https://example.com/alerts");

    private readonly RecordingRegistry registry = new();
    private readonly FakeGrainFactory factory;
    private readonly AlertEngine sut;

    public AlertEngineTests()
    {
        sut = new AlertEngine(FakeGrainFactory.Create(out factory, registry));
    }

    [Fact]
    public async Task AddRuleAsync_NoSecret_PassesNullAndReplace()
    {
        var added = await sut.AddRuleAsync(Tenant, Rule, replace: true);

        Assert.Equal(Rule, added.Rule);
        Assert.Equal(["add high-cost-alert secret=none replace=True"], registry.Calls);
        Assert.Equal(["alert-rules/acme"], factory.Keys);
    }

    [Fact]
    public async Task AddRuleAsync_Secret_PassesIt()
    {
        await sut.AddRuleAsync(Tenant, Rule, "hmac-secret-a1");

        Assert.Equal(["add high-cost-alert secret=given replace=False"], registry.Calls);
    }

    public static TheoryData<AlertRule, string> InvalidRules => new()
    {
        { Rule with { Name = "bad name" }, "Invalid alert rule name 'bad name'" },
        { Rule with { Metric = "Agent.Cost" }, "Invalid metric name 'Agent.Cost'" },
        { Rule with { Threshold = double.NaN }, "Invalid threshold 'NaN'" },
        { Rule with { WindowSeconds = 0 }, "Invalid window 0 s" },
        { Rule with { WebhookUrl = "ftp://example.com" }, "Invalid webhook URL" },
        { Rule with { Aggregation = (AlertAggregation)42 }, "Invalid aggregation '42'" },
        { Rule with { ForSeconds = -1 }, "Invalid pending duration -1 s" },
        { Rule with { RepeatSeconds = 59 }, "Invalid repeat interval 59 s" },
        { Rule with { Event = "nope" }, "Invalid alert event type 'nope'" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task AddRuleAsync_InvalidRule_CallsNothing(AlertRule rule, string expected)
    {
        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(() => sut.AddRuleAsync(Tenant, rule));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Empty(registry.Calls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    public async Task AddRuleAsync_InvalidSecret_CallsNothing(string secret)
    {
        var exception = await Assert.ThrowsAsync<MeshFlowValidationException>(
            () => sut.AddRuleAsync(Tenant, Rule, secret));

        Assert.Contains("webhook secret", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line\nbreak", exception.Message, StringComparison.Ordinal);
        Assert.Empty(registry.Calls);
    }

    [Fact]
    public async Task AddRuleAsync_InvalidTenant_CallsNothing()
    {
        await Assert.ThrowsAsync<MeshFlowValidationException>(() => sut.AddRuleAsync("bad tenant", Rule));

        Assert.Empty(registry.Calls);
        Assert.Empty(factory.Keys);
    }

    [Fact]
    public async Task RemoveRuleAsync_InvalidName_CallsNothing()
    {
        await Assert.ThrowsAsync<MeshFlowValidationException>(() => sut.RemoveRuleAsync(Tenant, "a/b"));

        Assert.Empty(registry.Calls);
    }

    [Fact]
    public async Task EvaluateAsync_NoName_EvaluatesAll()
    {
        await sut.EvaluateAsync(Tenant);
        await sut.EvaluateAsync(Tenant, "high-cost-alert");

        Assert.Equal(["evaluate *", "evaluate high-cost-alert"], registry.Calls);
    }

    [Fact]
    public async Task EvaluateAsync_InvalidName_CallsNothing()
    {
        await Assert.ThrowsAsync<MeshFlowValidationException>(() => sut.EvaluateAsync(Tenant, ""));

        Assert.Empty(registry.Calls);
    }

    [Fact]
    public async Task ListRulesAsync_CallsRegistry()
    {
        var rules = await sut.ListRulesAsync(Tenant);

        Assert.Equal([Rule], rules);
        Assert.Equal(["list"], registry.Calls);
    }

    /// <summary>A registry grain that records each call as one line of text.</summary>
    private sealed class RecordingRegistry : IAlertRegistryGrain
    {
        public List<string> Calls { get; } = [];

        public Task<AlertRuleAdded> AddRuleAsync(AlertRule rule, string? secret, bool replace)
        {
            Calls.Add($"add {rule.Name} secret={(secret is null ? "none" : "given")} replace={replace}");
            return Task.FromResult(new AlertRuleAdded(rule, GeneratedSecret: null, Replaced: false));
        }

        public Task<IReadOnlyList<AlertRule>> ListRulesAsync()
        {
            Calls.Add("list");
            return Task.FromResult<IReadOnlyList<AlertRule>>([Rule]);
        }

        public Task<AlertRule> RemoveRuleAsync(string name)
        {
            Calls.Add($"remove {name}");
            return Task.FromResult(Rule);
        }

        public Task<IReadOnlyList<AlertEvaluation>> EvaluateAsync(string? name)
        {
            Calls.Add($"evaluate {name ?? "*"}");
            return Task.FromResult<IReadOnlyList<AlertEvaluation>>([]);
        }
    }
}
