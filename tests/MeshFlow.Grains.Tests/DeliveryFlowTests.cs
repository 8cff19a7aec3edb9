using System.Text.Json;
using MeshFlow.Grains.Tests.Infrastructure;

namespace MeshFlow.Grains.Tests;

public sealed class DeliveryFlowTests
{
    private const string Secret = "hmac-secret";

    [Fact]
    public async Task Publish_MatchingWebhook_DeliversSignedBody()
    {
        await using var cluster = await DeliveryCluster.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        var webhook = await cluster.Tenant("acme").RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.PolicyViolation]));

        var result = await cluster.PublishAsync("acme", new GovernanceEvent(
            EventTypes.PolicyViolation,
            RunId: "run-abc123",
            NodeId: "classify-step",
            Reason: "Free tier cost cap exceeded",
            RuleName: "block-free-tier-expensive-calls"));
        Assert.Single(result.DeliveryIds);
        var request = await receiver.NextAsync();

        Assert.Single(result.DeliveryIds);
        Assert.Equal("POST", request.Method);
        Assert.Equal(WebhookSignature.ComputeHeader(request.Body, Secret), request.Header("X-MeshFlow-Signature"));
        Assert.Equal(result.DeliveryIds[0], request.Header("X-MeshFlow-Delivery"));
        Assert.Equal("policy_violation", request.Header("X-MeshFlow-Event"));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("acme", json.RootElement.GetProperty("tenant_id").GetString());
        var info = await cluster.WaitForAsync("acme", result.DeliveryIds[0], d => d.Status == DeliveryStatus.Succeeded);
        Assert.Single(info.Attempts);
        Assert.Equal(webhook.Id, info.WebhookId);
    }

    [Fact]
    public async Task Delivery_FailsTwice_SucceedsOnThirdAttempt()
    {
        await using var cluster = await DeliveryCluster.StartAsync();
        await using var receiver = await TestReceiver.StartAsync(
            ReceiverResponse.WithStatus(500),
            ReceiverResponse.WithStatus(502));
        await cluster.Tenant("acme").RegisterWebhookAsync(
            new WebhookRegistration(receiver.Url.ToString(), Secret, [EventTypes.Wildcard]));
        var result = await cluster.PublishAsync("acme", new GovernanceEvent(EventTypes.HitlPending));
        var deliveryId = result.DeliveryIds.Single();

        var first = await receiver.NextAsync();
        var afterFirst = await cluster.WaitForAsync("acme", deliveryId, d => d.Attempts.Count == 1);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(12 + 5));
        var second = await receiver.NextAsync();
        var afterSecond = await cluster.WaitForAsync("acme", deliveryId, d => d.Attempts.Count == 2);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(60 + 5));
        var third = await receiver.NextAsync();
        var final = await cluster.WaitForAsync("acme", deliveryId, d => d.Status != DeliveryStatus.Pending);

        Assert.Equal(500, afterFirst.Attempts[0].StatusCode);
        Assert.Equal(502, afterSecond.Attempts[1].StatusCode);
        Assert.Equal(DeliveryStatus.Succeeded, final.Status);
        Assert.Equal(3, final.Attempts.Count);
        Assert.Null(final.NextAttemptAt);
        Assert.Equal(first.Body, third.Body);
        Assert.Equal(first.Header("X-MeshFlow-Delivery"), third.Header("X-MeshFlow-Delivery"));
        Assert.Equal(first.Header("X-MeshFlow-Signature"), second.Header("X-MeshFlow-Signature"));
    }
}
