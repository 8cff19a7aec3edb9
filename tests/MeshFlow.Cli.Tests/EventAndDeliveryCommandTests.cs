using System.Net;
using System.Text.Json;
using MeshFlow.Cli.Tests.Infrastructure;
using MeshFlow.Grains;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// <c>meshflow events publish</c> and <c>meshflow deliveries show</c> against a running test cluster, with a real
/// receiver on 127.0.0.1.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EventAndDeliveryCommandTests(MeshFlowCluster cluster)
{
    private const string Secret = "hmac-secret-91d0";
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    private readonly string tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task Publish_MatchingWebhooks_PrintsOneDeliveryEach()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await AddAsync(receiver.Url.ToString(), "policy_violation");
        await AddAsync(receiver.Url.ToString(), "*");
        await AddAsync(receiver.Url.ToString(), "hitl_pending");

        var result = await RunAsync("events", "publish", "policy_violation", "--event-id", "evt-42", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var published = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(["event_id", "deliveries"], published.EnumerateObject().Select(property => property.Name));
        Assert.Equal("evt-42", published.GetProperty("event_id").GetString());
        var deliveries = published.GetProperty("deliveries").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, GrainKeys.ValidateDeliveryId);
    }

    [Fact]
    public async Task Publish_SameEventIdTwice_ReturnsSameDeliveries()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await AddAsync(receiver.Url.ToString(), "sla_breach");

        var first = await RunAsync("events", "publish", "sla_breach", "--event-id", "evt-retry", "--json");
        var second = await RunAsync("events", "publish", "sla_breach", "--event-id", "evt-retry", "--json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(
            JsonDocument.Parse(first.Stdout).RootElement.GetProperty("deliveries").ToString(),
            JsonDocument.Parse(second.Stdout).RootElement.GetProperty("deliveries").ToString());
    }

    [Fact]
    public async Task Publish_NoWebhooks_GeneratesEventId()
    {
        var result = await RunAsync("events", "publish", "budget_exceeded", "--json");

        Assert.Equal(0, result.ExitCode);
        var published = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.StartsWith("evt_", published.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, published.GetProperty("deliveries").GetArrayLength());
    }

    [Fact]
    public async Task Publish_NoWebhooksText_SaysNothingSent()
    {
        var result = await RunAsync("events", "publish", "budget_exceeded", "--event-id", "evt-7");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "Published evt-7; no enabled webhook subscribes to budget_exceeded, so nothing was sent.",
            result.Stdout.Trim());
    }

    [Fact]
    public async Task Publish_DisabledWebhook_CreatesNoDelivery()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var id = await AddAsync(receiver.Url.ToString(), "policy_violation");
        Assert.Equal(0, (await RunAsync("webhooks", "disable", id)).ExitCode);

        var result = await RunAsync("events", "publish", "policy_violation", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("deliveries").GetArrayLength());
    }

    [Fact]
    public async Task DeliveriesShow_DeliveredEvent_ReportsSucceededAttempt()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var webhookId = await AddAsync(receiver.Url.ToString(), "policy_violation");

        var published = await RunAsync(
            "events", "publish", "policy_violation", "--event-id", "evt-run-1", "--run-id", "run-abc123",
            "--node-id", "classify-step", "--reason", "Free tier cost cap exceeded",
            "--rule-name", "block-free-tier-expensive-calls", "--json");
        var deliveryId = JsonDocument.Parse(published.Stdout).RootElement.GetProperty("deliveries")[0].GetString()!;
        var request = await receiver.NextAsync(DeliveryTimeout);
        var delivery = await WaitForStatusAsync(deliveryId, "succeeded");

        Assert.True(WebhookSignature.Verify(request.Body, request.Header(WebhookHeaders.Signature), Secret));
        Assert.Equal("policy_violation", request.Header(WebhookHeaders.Event));
        Assert.Equal(deliveryId, request.Header(WebhookHeaders.Delivery));
        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("run-abc123", payload.GetProperty("run_id").GetString());
        Assert.Equal(
            ["id", "tenant_id", "webhook_id", "url", "event", "event_id", "status", "attempts", "next_attempt_at"],
            delivery.EnumerateObject().Select(property => property.Name));
        Assert.Equal(deliveryId, delivery.GetProperty("id").GetString());
        Assert.Equal(tenant, delivery.GetProperty("tenant_id").GetString());
        Assert.Equal(webhookId, delivery.GetProperty("webhook_id").GetString());
        Assert.Equal(receiver.Url.ToString(), delivery.GetProperty("url").GetString());
        Assert.Equal("policy_violation", delivery.GetProperty("event").GetString());
        Assert.Equal("evt-run-1", delivery.GetProperty("event_id").GetString());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
        var attempt = Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal(
            ["number", "started_at", "status_code", "error", "duration_ms"],
            attempt.EnumerateObject().Select(property => property.Name));
        Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        Assert.Equal(200, attempt.GetProperty("status_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("error").ValueKind);
        Assert.EndsWith("Z", attempt.GetProperty("started_at").GetString(), StringComparison.Ordinal);
        Assert.True(attempt.GetProperty("duration_ms").GetInt64() >= 0);
    }

    [Fact]
    public async Task DeliveriesShow_Text_PrintsStatusAndAttempts()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await AddAsync(receiver.Url.ToString(), "collusion_alert");
        var published = await RunAsync("events", "publish", "collusion_alert", "--json");
        var deliveryId = JsonDocument.Parse(published.Stdout).RootElement.GetProperty("deliveries")[0].GetString()!;
        await receiver.NextAsync(DeliveryTimeout);
        await WaitForStatusAsync(deliveryId, "succeeded");

        var result = await RunAsync("deliveries", "show", deliveryId);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"ID:           {deliveryId}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Status:       succeeded", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Event:        collusion_alert", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  #1  ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  200  ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveriesShow_UnknownDelivery_ReportsNotFound()
    {
        var unknown = GrainKeys.NewDeliveryId();

        var result = await RunAsync("deliveries", "show", unknown, "--json");

        CliAssert.OneLineError(result, 1, unknown);
    }

    [Fact]
    public async Task DeliveriesShow_OtherTenant_ReportsNotFound()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await AddAsync(receiver.Url.ToString(), "hitl_pending");
        var published = await RunAsync("events", "publish", "hitl_pending", "--json");
        var deliveryId = JsonDocument.Parse(published.Stdout).RootElement.GetProperty("deliveries")[0].GetString()!;

        var result = await CliRunner.RunAsync(
            "deliveries", "show", deliveryId, "--tenant", "someone-else", "--gateway", cluster.Gateway);

        CliAssert.OneLineError(result, 1, deliveryId);
    }

    [Fact]
    public async Task Publish_ReceiverGone_ListAndShowGiveReason()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.StatusCode = (int)HttpStatusCode.Gone;
        var webhookId = await AddAsync(receiver.Url.ToString(), "policy_violation");
        var published = await RunAsync("events", "publish", "policy_violation", "--json");
        var deliveryId = JsonDocument.Parse(published.Stdout).RootElement.GetProperty("deliveries")[0].GetString()!;
        await receiver.NextAsync(DeliveryTimeout);
        var webhook = await WaitForDisabledAsync(webhookId);

        var showText = await RunAsync("webhooks", "show", webhookId);
        var listText = await RunAsync("webhooks", "list");

        var reason = $"the receiver answered 410 Gone to delivery {deliveryId}";
        Assert.Equal(
            ["id", "tenant_id", "url", "events", "description", "enabled", "created_at"],
            webhook.EnumerateObject().Select(property => property.Name));
        Assert.Equal(0, showText.ExitCode);
        Assert.Contains("Enabled:      no", showText.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Why disabled: {reason}", showText.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, listText.ExitCode);
        Assert.Equal(
            $"Why {webhookId} is disabled: {reason}",
            listText.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
    }

    [Fact]
    public async Task Publish_SecretStartingWithAt_SignsWithIt()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "content-of-the-file");
            var added = await RunAsync(
                "webhooks",
                "add",
                receiver.Url.ToString(),
                "--secret",
                $"@{path}",
                "--events",
                "budget_exceeded",
                "--json");
            Assert.Equal(0, added.ExitCode);

            var published = await RunAsync("events", "publish", "budget_exceeded", "--json");
            var request = await receiver.NextAsync(DeliveryTimeout);

            Assert.Equal(0, published.ExitCode);
            var signature = request.Header(WebhookHeaders.Signature);
            Assert.True(WebhookSignature.Verify(request.Body, signature, $"@{path}"));
            Assert.False(WebhookSignature.Verify(request.Body, signature, "content-of-the-file"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private Task<CliResult> RunAsync(params string[] args) =>
        CliRunner.RunAsync([.. args, "--tenant", tenant, "--gateway", cluster.Gateway]);

    private async Task<string> AddAsync(string url, string eventType)
    {
        var result = await RunAsync("webhooks", "add", url, "--secret", Secret, "--events", eventType, "--json");
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("id").GetString()!;
    }

    // The delivery grain disables the webhook after it records the 410 answer, so the webhook is polled briefly.
    private async Task<JsonElement> WaitForDisabledAsync(string webhookId)
    {
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        while (true)
        {
            var result = await RunAsync("webhooks", "show", webhookId, "--json");
            Assert.Equal(0, result.ExitCode);
            var webhook = JsonDocument.Parse(result.Stdout).RootElement;
            if (!webhook.GetProperty("enabled").GetBoolean() || DateTime.UtcNow > deadline)
            {
                Assert.False(webhook.GetProperty("enabled").GetBoolean());
                return webhook;
            }

            await Task.Delay(50);
        }
    }

    // The receiver gets the request before the grain records the attempt, so the status is polled briefly.
    private async Task<JsonElement> WaitForStatusAsync(string deliveryId, string status)
    {
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        while (true)
        {
            var result = await RunAsync("deliveries", "show", deliveryId, "--json");
            Assert.Equal(0, result.ExitCode);
            var delivery = JsonDocument.Parse(result.Stdout).RootElement;
            if (delivery.GetProperty("status").GetString() == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, delivery.GetProperty("status").GetString());
                return delivery;
            }

            await Task.Delay(50);
        }
    }
}
