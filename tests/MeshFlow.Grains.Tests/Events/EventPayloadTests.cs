using System.Text;
using System.Text.Json;
using MeshFlow.Grains.Events;

namespace MeshFlow.Grains.Tests.Events;

public sealed class EventPayloadTests
{
    private static readonly DateTimeOffset DocumentedTime = new(2026, 5, 30, 14, 23, 1, TimeSpan.Zero);

    private static readonly GovernanceEvent DocumentedEvent = new(
        EventTypes.PolicyViolation,
        EventId: "evt-1",
        RunId: "run-abc123",
        NodeId: "classify-step",
        Reason: "Free tier cost cap exceeded",
        RuleName: "block-free-tier-expensive-calls");

    [Fact]
    public void Serialize_DocumentedEvent_WritesExactBytes()
    {
        var expected = """
            {"event":"policy_violation",
            "run_id":"run-abc123",
            "node_id":"classify-step",
            "tenant_id":"acme",
            "timestamp":"2026-05-30T14:23:01Z",
            "reason":"Free tier cost cap exceeded",
            "rule_name":"block-free-tier-expensive-calls",
            "event_id":"evt-1"}
            """.ReplaceLineEndings("");

        var body = EventPayload.Serialize("acme", DocumentedEvent, DocumentedTime);

        Assert.Equal(expected, Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Serialize_AnyEvent_KeepsFieldOrder()
    {
        string[] expected = ["event", "run_id", "node_id", "tenant_id", "timestamp", "reason", "rule_name", "event_id"];

        var body = EventPayload.Serialize("acme", DocumentedEvent, DocumentedTime);

        using var json = JsonDocument.Parse(body);
        Assert.Equal(expected, json.RootElement.EnumerateObject().Select(property => property.Name));
    }

    [Fact]
    public void Serialize_MissingFields_WritesNulls()
    {
        var sparse = new GovernanceEvent(EventTypes.SlaBreach, EventId: "evt-2");

        var body = EventPayload.Serialize("acme", sparse, DocumentedTime);

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("sla_breach", root.GetProperty("event").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("run_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("node_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("rule_name").ValueKind);
        Assert.Equal("evt-2", root.GetProperty("event_id").GetString());
    }

    [Fact]
    public void Serialize_NonUtcOffset_WritesUtc()
    {
        var local = new DateTimeOffset(2026, 5, 30, 16, 23, 1, 789, TimeSpan.FromHours(2));

        var body = EventPayload.Serialize("acme", DocumentedEvent, local);

        using var json = JsonDocument.Parse(body);
        Assert.Equal("2026-05-30T14:23:01Z", json.RootElement.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Serialize_NegativeOffsetAcrossMidnight_WritesUtcDate()
    {
        var local = new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.FromHours(-5));

        var body = EventPayload.Serialize("acme", DocumentedEvent, local);

        using var json = JsonDocument.Parse(body);
        Assert.Equal("2027-01-01T01:00:00Z", json.RootElement.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Serialize_CjkReason_KeepsUtf8Bytes()
    {
        const string reason = "预算超限 コスト";
        var governanceEvent = DocumentedEvent with { Reason = reason };

        var body = EventPayload.Serialize("acme", governanceEvent, DocumentedTime);

        Assert.Contains("\"reason\":\"" + reason + "\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_EmojiReason_WritesEscapePair()
    {
        // U+1F6A8 lies outside the Basic Multilingual Plane; the relaxed encoder writes it as a UTF-16 escape pair.
        const string reason = "cost cap hit 🚨";
        var governanceEvent = DocumentedEvent with { Reason = reason };

        var body = EventPayload.Serialize("acme", governanceEvent, DocumentedTime);

        Assert.Contains("\"reason\":\"cost cap hit \\uD83D\\uDEA8\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_NonAsciiReason_ParsesBackUnchanged()
    {
        const string reason = "预算超限 🚨 コスト, naïve café";
        var governanceEvent = DocumentedEvent with { Reason = reason };

        var body = EventPayload.Serialize("acme", governanceEvent, DocumentedTime);

        using var json = JsonDocument.Parse(body);
        Assert.Equal(reason, json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void Serialize_QuotesAndBackslashes_Escaped()
    {
        const string reason = "rule \"cap\" hit at C:\\costs\nsee log";
        var governanceEvent = DocumentedEvent with { Reason = reason };

        var body = EventPayload.Serialize("acme", governanceEvent, DocumentedTime);

        var text = Encoding.UTF8.GetString(body);
        Assert.Contains("""rule \"cap\" hit at C:\\costs\nsee log""", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(reason, json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void Serialize_AnyEvent_IsOneJsonObject()
    {
        var body = EventPayload.Serialize("acme", DocumentedEvent, DocumentedTime);

        var reader = new Utf8JsonReader(body);
        using var json = JsonDocument.ParseValue(ref reader);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.Equal(body.Length, reader.BytesConsumed);
        Assert.Equal(8, json.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public void Serialize_NullEvent_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => EventPayload.Serialize("acme", null!, DocumentedTime));
    }
}
