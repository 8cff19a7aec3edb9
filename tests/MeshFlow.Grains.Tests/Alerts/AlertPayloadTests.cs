using System.Text;
using System.Text.Json;
using MeshFlow.Grains.Alerts;

namespace MeshFlow.Grains.Tests.Alerts;

public sealed class AlertPayloadTests
{
    private static readonly DateTimeOffset FiredAt = new(2026, 3, 1, 12, 0, 5, TimeSpan.Zero);

    private static readonly AlertRule CostRule =
        new("high-cost-alert", "agent.cost_usd", 1.0, 60, "https://example.com/alerts");

    private static string Serialize(AlertRule rule, AlertNotification notification, string reason, DateTimeOffset at) =>
        Encoding.UTF8.GetString(AlertPayload.Serialize("acme", rule, notification, reason, at));

    [Fact]
    public void Serialize_Firing_WritesEveryFieldInOrder()
    {
        var notification = new AlertNotification(
            AlertNotificationKind.Firing, "high-cost-alert:1", "high-cost-alert", 1, 1.25, FiredAt, null);

        var json = Serialize(CostRule, notification, "agent.cost_usd sum over 60 s = 1.25 > 1.0", FiredAt);

        Assert.Equal(
            "{\"event\":\"alert\",\"run_id\":null,\"node_id\":null,\"tenant_id\":\"acme\","
            + "\"timestamp\":\"2026-03-01T12:00:05Z\",\"reason\":\"agent.cost_usd sum over 60 s = 1.25 > 1.0\","
            + "\"rule_name\":\"high-cost-alert\",\"status\":\"firing\",\"metric\":\"agent.cost_usd\",\"value\":1.25,"
            + "\"threshold\":1,\"window_seconds\":60,\"aggregation\":\"sum\","
            + "\"started_at\":\"2026-03-01T12:00:05Z\",\"resolved_at\":null,\"alert_id\":\"high-cost-alert:1\"}",
            json);
    }

    [Fact]
    public void Serialize_ResolvedNoSamples_NullValue()
    {
        var resolvedAt = FiredAt.AddSeconds(61);
        var notification = new AlertNotification(
            AlertNotificationKind.Resolved, "high-cost-alert:3", "high-cost-alert", 3, null, FiredAt, resolvedAt);

        var json = Serialize(CostRule, notification, "agent.cost_usd sum over 60 s: no samples", resolvedAt);

        Assert.Equal(
            "{\"event\":\"alert\",\"run_id\":null,\"node_id\":null,\"tenant_id\":\"acme\","
            + "\"timestamp\":\"2026-03-01T12:01:06Z\",\"reason\":\"agent.cost_usd sum over 60 s: no samples\","
            + "\"rule_name\":\"high-cost-alert\",\"status\":\"resolved\",\"metric\":\"agent.cost_usd\",\"value\":null,"
            + "\"threshold\":1,\"window_seconds\":60,\"aggregation\":\"sum\",\"started_at\":\"2026-03-01T12:00:05Z\","
            + "\"resolved_at\":\"2026-03-01T12:01:06Z\",\"alert_id\":\"high-cost-alert:3\"}",
            json);
    }

    [Fact]
    public void Serialize_Repeat_WritesFiringStatus()
    {
        var notification = new AlertNotification(
            AlertNotificationKind.Repeat, "high-cost-alert:1", "high-cost-alert", 1, 2.0, FiredAt, null);

        using var json = JsonDocument.Parse(
            AlertPayload.Serialize("acme", CostRule, notification, "reason", FiredAt.AddMinutes(5)));

        Assert.Equal("firing", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("2026-03-01T12:05:05Z", json.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("2026-03-01T12:00:05Z", json.RootElement.GetProperty("started_at").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("resolved_at").ValueKind);
    }

    [Fact]
    public void Serialize_RuleFields_WrittenFromRule()
    {
        var rule = new AlertRule(
            "slow-agent",
            "agent.latency_ms",
            -0.5,
            7200,
            "https://example.com/alerts",
            AlertAggregation.P95,
            AlertComparison.Lte,
            Event: EventTypes.SlaBreach);
        var notification = new AlertNotification(
            AlertNotificationKind.Firing, "slow-agent:2", "slow-agent", 2, -1.5, FiredAt, null);

        using var json = JsonDocument.Parse(AlertPayload.Serialize("acme", rule, notification, "reason", FiredAt));
        var root = json.RootElement;

        Assert.Equal("sla_breach", root.GetProperty("event").GetString());
        Assert.Equal("slow-agent", root.GetProperty("rule_name").GetString());
        Assert.Equal("agent.latency_ms", root.GetProperty("metric").GetString());
        Assert.Equal(-1.5, root.GetProperty("value").GetDouble());
        Assert.Equal(-0.5, root.GetProperty("threshold").GetDouble());
        Assert.Equal(7200, root.GetProperty("window_seconds").GetInt32());
        Assert.Equal("p95", root.GetProperty("aggregation").GetString());
        Assert.Equal("slow-agent:2", root.GetProperty("alert_id").GetString());
    }

    [Fact]
    public void Serialize_OffsetAndFractionalTimes_WritesUtcSeconds()
    {
        var startedAt = new DateTimeOffset(2026, 3, 1, 14, 0, 5, 900, TimeSpan.FromHours(2));
        var resolvedAt = new DateTimeOffset(2026, 3, 1, 7, 30, 0, 250, TimeSpan.FromHours(-5));
        var notification = new AlertNotification(
            AlertNotificationKind.Resolved, "high-cost-alert:1", "high-cost-alert", 1, 0.5, startedAt, resolvedAt);

        using var json = JsonDocument.Parse(
            AlertPayload.Serialize("acme", CostRule, notification, "reason", resolvedAt));
        var root = json.RootElement;

        Assert.Equal("2026-03-01T12:00:05Z", root.GetProperty("started_at").GetString());
        Assert.Equal("2026-03-01T12:30:00Z", root.GetProperty("resolved_at").GetString());
        Assert.Equal("2026-03-01T12:30:00Z", root.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Serialize_QuotedUnicodeReason_MinimalEscaping()
    {
        var notification = new AlertNotification(
            AlertNotificationKind.Firing, "high-cost-alert:1", "high-cost-alert", 1, 1.25, FiredAt, null);

        var bytes = AlertPayload.Serialize("acme", CostRule, notification, "cost \"über\" < 2 & > 1", FiredAt);
        using var json = JsonDocument.Parse(bytes);

        Assert.Equal("cost \"über\" < 2 & > 1", json.RootElement.GetProperty("reason").GetString());
        Assert.Contains(
            "\"reason\":\"cost \\\"über\\\" < 2 & > 1\"",
            Encoding.UTF8.GetString(bytes),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_NullRule_Throws()
    {
        var notification = new AlertNotification(
            AlertNotificationKind.Firing, "high-cost-alert:1", "high-cost-alert", 1, 1.25, FiredAt, null);

        Assert.Throws<ArgumentNullException>(
            () => AlertPayload.Serialize("acme", null!, notification, "reason", FiredAt));
    }
}
