using System.Text;
using System.Text.Json;
using MeshFlow.Grains.Alerts;
using MeshFlow.Grains.Postgres.Tests.Infrastructure;

namespace MeshFlow.Grains.Postgres.Tests;

/// <summary>
/// Checks that the alert grains keep their state in the generic grain state table, one row per grain under its own
/// state name, and that the rule's secret appears neither in the listing copy nor in list or evaluation results.
/// </summary>
public sealed class AlertStorageTests
{
    // Hex-only ids: without the prefixes that GrainKeys adds, Orleans would read them as integer keys.
    private const string TenantId = "cafe";
    private const string RuleName = "abc";
    private const string Metric = "agent.tokens";
    private const string Secret = "hmac-secret-for-alert-storage-tests";

    [Fact]
    public async Task AlertStates_GrainStateTable_NoSecretInListing()
    {
        await using var database = await MigratedDatabase.CreateAsync();
        await using var cluster = await InProcessPostgresCluster.StartAsync(
            database,
            InProcessPostgresCluster.NewServiceId(),
            DateTimeOffset.UtcNow,
            silos: 1,
            fakeGrainTimers: true);
        await using var receiver = await TestReceiver.StartAsync();
        var rule = new AlertRule(RuleName, Metric, 100, 60, receiver.Url.ToString(), AlertAggregation.Max);

        var added = await cluster.Alerts(TenantId).AddRuleAsync(rule, Secret, replace: false);
        await cluster.Metrics(TenantId).RecordAsync([new MetricSample(Metric, 150)]);
        var evaluated = await cluster.Alerts(TenantId).EvaluateAsync(null);
        var request = await receiver.NextAsync();
        await cluster.WaitForAsync(
            TenantId,
            request.Header(WebhookHeaders.Delivery)!,
            d => d.Status == DeliveryStatus.Succeeded);
        var listed = await cluster.Alerts(TenantId).ListRulesAsync();
        var rows = await GrainStateRows.ReadAllAsync(database, cluster.ServiceId);

        Assert.Null(added.GeneratedSecret);
        Assert.DoesNotContain(Secret, added.ToString(), StringComparison.Ordinal);
        Assert.Equal(AlertStatus.Firing, Assert.Single(evaluated).State);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(evaluated), StringComparison.Ordinal);
        Assert.Equal(rule, Assert.Single(listed));
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(listed), StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify(request.Body, request.Header(WebhookSignature.HeaderName), Secret));

        var alertRows = rows
            .Where(row => row.StateName is StorageNames.AlertRuleState
                or StorageNames.AlertRegistryState
                or StorageNames.MetricState)
            .OrderBy(row => row.StateName, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [
                (StorageNames.AlertRegistryState, GrainKeys.AlertRegistry(TenantId)),
                (StorageNames.AlertRuleState, GrainKeys.AlertRule(TenantId, RuleName)),
                (StorageNames.MetricState, GrainKeys.Metric(TenantId, Metric)),
            ],
            alertRows.Select(row => (row.StateName, row.GrainKey)));
        Assert.All(alertRows, row => Assert.NotNull(row.Payload));
        var registryJson = Encoding.UTF8.GetString(alertRows[0].Payload!);
        var metricJson = Encoding.UTF8.GetString(alertRows[2].Payload!);
        Assert.DoesNotContain(Secret, registryJson, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, metricJson, StringComparison.Ordinal);
        Assert.Contains(RuleName, registryJson, StringComparison.Ordinal);
        Assert.Contains(RuleName, metricJson, StringComparison.Ordinal);

        using var ruleJson = JsonDocument.Parse(alertRows[1].Payload!);
        Assert.Equal(RuleName, ruleJson.RootElement.GetProperty("rule").GetProperty("name").GetString());
        Assert.Equal("firing", ruleJson.RootElement.GetProperty("alert").GetProperty("status").GetString());
    }
}
